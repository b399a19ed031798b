import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EngineAdmission } from "../shared/engine";
import { partOfLabel, platformLabels, platformPartOf, requestedLevelLabel, teamLabel, tenantGuardPolicyNames } from "../shared/names";
import { teamBindingsCel } from "./teamBindingsCel";
import { AdmissionCel, platformObjectsCel, restrictedPodCel, teamNamespaceCel } from "./tenantGuardCel";
import { kindRules, platformKindsCel } from "./platformKindsCel";

/**
 * Four ValidatingAdmissionPolicies (Kubernetes 1.30 and later), each with its binding, that close
 * what RBAC cannot: a team's engine may do anything in its namespace, so without them it could
 * delete its own quota, network policy or sync, or relabel or delete the namespace itself. They
 * find team namespaces by label, never by name, so adding a team changes none of them. They fail
 * closed: unlike a webhook they run in the API server and cannot be down.
 *
 * - `gitops-platform-objects`: the platform's objects in a team namespace are off limits to
 *   everyone judged (whoever does not hold the right cluster-wide, `judged` in tenantGuardCel.ts),
 *   through every operation and subresource.
 * - `gitops-platform-team-bindings`: a RoleBinding in a team namespace names only its own
 *   ServiceAccounts, so a team cannot hand its rights to anyone else.
 * - `gitops-platform-team-namespaces`: so is the team's Namespace object itself.
 * - `gitops-platform-restricted-pods`: every pod but an engine's (Flux v1's fluxd), in a namespace
 *   whose team asked for `restricted`, is held to what restricted adds to baseline (see
 *   podSecurity.ts). The first policy is what makes the exemption sound: no one in the namespace
 *   can change the engine's Deployment or make a pod that passes for one of its pods.
 *
 * Each is built from the installed engines' EngineAdmission, so the guard names no engine.
 */
export interface TenantGuardArgs {
    /** What each engine installed in the cluster needs allowed in the team namespaces it syncs. */
    readonly engines: readonly EngineAdmission[];
    /** API groups of the add-ons (Flagger's) whose objects' status only their controllers write. */
    readonly addonStatusGroups?: readonly string[];
    /**
     * Namespaced kinds of every engine and add-on, installed or not, that no team may create or
     * change in its namespace (`gitops-platform-kinds`), as `<plural>.<group>`.
     */
    readonly platformKinds?: readonly string[];
}

export class TenantGuard extends pulumi.ComponentResource {
    constructor(name: string, args: TenantGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:TenantGuard", name, {}, opts);
        const teamNamespaces = { matchExpressions: [{ key: teamLabel, operator: "Exists" }] };

        this.policy(`${name}-platform-objects`, tenantGuardPolicyNames.platformObjects, platformObjectsCel(args.engines, args.addonStatusGroups ?? []), {
            namespaceSelector: teamNamespaces,
            resourceRules: [{
                // "*/*" matches every resource with or without a subresource (k8s.io/apiserver
                // pkg/admission/plugin/webhook/predicates/rules/rules.go, resource()): a pod's
                // ephemeral containers and a Deployment's scale are changes to the object too. It
                // must stand alone (pkg/apis/admissionregistration/validation, validateResources).
                apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"],
                // CONNECT: pods/exec, attach, portforward and proxy (ConnectResource admits them).
                operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"], scope: "Namespaced",
            }],
        });

        this.policy(`${name}-team-bindings`, tenantGuardPolicyNames.teamBindings, teamBindingsCel(), {
            namespaceSelector: teamNamespaces,
            // The team's own: the platform's RoleBindings are off limits altogether (above).
            objectSelector: { matchExpressions: [{ key: partOfLabel, operator: "NotIn", values: [platformPartOf] }] },
            resourceRules: [{
                apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["*"], resources: ["rolebindings"],
                operations: ["CREATE", "UPDATE"],
            }],
        });

        this.policy(`${name}-restricted-pods`, tenantGuardPolicyNames.restrictedPods, restrictedPodCel(args.engines), {
            namespaceSelector: {
                matchExpressions: [...teamNamespaces.matchExpressions, { key: requestedLevelLabel, operator: "In", values: ["restricted"] }],
            },
            resourceRules: [
                // Only new pods, as Pod Security Admission judges them; a pod's spec cannot change after.
                { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] },
                { apiGroups: [""], apiVersions: ["v1"], resources: ["pods/ephemeralcontainers"], operations: ["UPDATE"] },
            ],
        });

        // No namespaceSelector: on an update of a Namespace the API server matches it against the
        // labels of the new object (pkg/admission/plugin/webhook/predicates/namespace/matcher.go,
        // GetNamespaceLabels), so a request that drops the team label would escape it. The policy's
        // matchConditions look at the old object as well. "namespaces/*" covers status and finalize,
        // which the tenant role's "*" grants too (pkg/apis/rbac/v1/evaluation_helpers.go, ResourceMatches).
        this.policy(`${name}-team-namespaces`, tenantGuardPolicyNames.teamNamespaces, teamNamespaceCel(args.engines), {
            resourceRules: [{
                apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces", "namespaces/*"],
                operations: ["UPDATE", "DELETE"],
            }],
        });

        const platformKinds = kindRules(args.platformKinds ?? []);
        if (platformKinds.length > 0) {
            this.policy(`${name}-platform-kinds`, tenantGuardPolicyNames.platformKinds, platformKindsCel(), {
                namespaceSelector: teamNamespaces,
                resourceRules: platformKinds.map(({ group, resources }) => ({
                    apiGroups: [group], apiVersions: ["*"], resources: resources.flatMap((r) => [r, `${r}/*`]),
                    operations: ["CREATE", "UPDATE"], scope: "Namespaced",
                })),
            });
        }

        this.registerOutputs({});
    }

    private policy(name: string, policyName: string, cel: AdmissionCel,
        matchConstraints: k8s.types.input.admissionregistration.v1.MatchResources): void {
        const labels = platformLabels("tenant-guard");
        const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-policy`, {
            metadata: { name: policyName, labels },
            spec: {
                failurePolicy: "Fail",
                matchConstraints,
                matchConditions: cel.matchConditions.map((c) => ({ ...c })),
                variables: cel.variables.map((v) => ({ ...v })),
                validations: cel.validations.map((v) => ({ ...v, reason: "Forbidden" })),
            },
        }, { parent: this });
        new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-binding`, {
            metadata: { name: policyName, labels },
            spec: { policyName: policy.metadata.name, validationActions: ["Deny"] },
        }, { parent: this });
    }
}
