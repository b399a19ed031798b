import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renamedFrom } from "../shared/renamed";
import { EngineAdmission } from "../shared/engine";
import { partOfLabel, platformLabels, platformPartOf, requestedLevelLabel, teamLabel, teamGuardPolicyNames } from "../shared/names";
import { teamBindingsCel } from "./teamBindingsCel";
import { AdmissionCel, platformObjectsCel, restrictedPodCel, teamNamespaceCel } from "./teamGuardCel";
import { kindRules, platformKindsCel } from "./platformKindsCel";

/** What the TeamGuard is built from: the installed engines' needs, so it names no engine. */
export interface TeamGuardArgs {
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

/**
 * Five ValidatingAdmissionPolicies (Kubernetes 1.30 and later), each with its binding, that close
 * what RBAC cannot: a team's engine may do anything in its namespace, so it could otherwise delete
 * its quota, network policy or sync, or relabel or delete the namespace. Found by label, failing
 * closed in the API server (no webhook to be down). The rules: teamGuardCel.ts, teamBindingsCel.ts.
 * - `gitops-platform-objects`: the platform's objects in a team namespace, and
 *   `gitops-platform-team-namespaces`: the team's Namespace itself, are off limits to the judged.
 * - `gitops-platform-team-bindings`: a team cannot hand its rights to anyone else.
 * - `gitops-platform-restricted-pods`: in a namespace that asked for `restricted`, every pod but an
 *   engine's is held to it (podSecurity.ts); the first policy keeps the engine's pods unfakeable.
 * - `gitops-platform-kinds`: the installs' kinds no team has a use for (platformKindsCel.ts).
 */
export class TeamGuard extends pulumi.ComponentResource {
    constructor(name: string, args: TeamGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:TeamGuard", name, {}, renamedFrom("platform:index:TenantGuard", opts));
        const teamNamespaces = { matchExpressions: [{ key: teamLabel, operator: "Exists" }] };

        this.policy(`${name}-platform-objects`, teamGuardPolicyNames.platformObjects, platformObjectsCel(args.engines, args.addonStatusGroups ?? []), {
            namespaceSelector: teamNamespaces,
            resourceRules: [{
                // "*/*": every resource and subresource, since a pod's ephemeral containers and a
                // Deployment's scale change the object too (docs/upstream.md, "What admission sees
                // of a request").
                apiGroups: ["*"], apiVersions: ["*"], resources: ["*/*"],
                // CONNECT: pods/exec, attach, portforward and proxy (ConnectResource admits them).
                operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"], scope: "Namespaced",
            }],
        });

        this.policy(`${name}-team-bindings`, teamGuardPolicyNames.teamBindings, teamBindingsCel(), {
            namespaceSelector: teamNamespaces,
            // The team's own: the platform's RoleBindings are off limits altogether (above).
            objectSelector: { matchExpressions: [{ key: partOfLabel, operator: "NotIn", values: [platformPartOf] }] },
            resourceRules: [{
                apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["*"], resources: ["rolebindings"],
                operations: ["CREATE", "UPDATE"],
            }],
        });

        this.policy(`${name}-restricted-pods`, teamGuardPolicyNames.restrictedPods, restrictedPodCel(args.engines), {
            namespaceSelector: {
                matchExpressions: [...teamNamespaces.matchExpressions, { key: requestedLevelLabel, operator: "In", values: ["restricted"] }],
            },
            resourceRules: [
                // Only new pods, as Pod Security Admission judges them; a pod's spec cannot change after.
                { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"], operations: ["CREATE"] },
                { apiGroups: [""], apiVersions: ["v1"], resources: ["pods/ephemeralcontainers"], operations: ["UPDATE"] },
            ],
        });

        // No namespaceSelector: it reads the new object's labels only, so dropping the team label
        // would escape it; the match condition reads the old object too. "namespaces/*": status and
        // finalize (docs/upstream.md, "Requests on a Namespace").
        this.policy(`${name}-team-namespaces`, teamGuardPolicyNames.teamNamespaces, teamNamespaceCel(args.engines), {
            resourceRules: [{
                apiGroups: [""], apiVersions: ["v1"], resources: ["namespaces", "namespaces/*"],
                operations: ["UPDATE", "DELETE"],
            }],
        });

        const platformKinds = kindRules(args.platformKinds ?? []);
        if (platformKinds.length > 0) {
            this.policy(`${name}-platform-kinds`, teamGuardPolicyNames.platformKinds, platformKindsCel(), {
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
