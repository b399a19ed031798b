import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EngineAdmission } from "../shared/engine";
import { platformLabels, teamLabel } from "../shared/names";
import { reachGuardPolicies } from "./reachGuardCel";

export interface ReachGuardArgs {
    /** What each installed engine's kinds carry that reaches outside a namespace. */
    readonly engines: readonly EngineAdmission[];
    /** Priority classes a team's pods may name; empty: none, only the cluster's default priority. */
    readonly offeredPriorityClasses: readonly string[];
    /**
     * The API groups of the add-ons installed: the fields the guard knows of their kinds are judged
     * (Flagger's `flagger.app`: its Canaries', MetricTemplates' and AlertProviders' references and addresses).
     */
    readonly addonGroups?: readonly string[];
}

/**
 * ValidatingAdmissionPolicies, each with its binding, that keep a team's objects from reaching
 * outside its namespace through fields RBAC cannot see: to nodes, other pods' traffic, other
 * namespaces, other teams' controllers, or through a shared controller acting for the team (the
 * rules: reachGuardCel.ts). They judge whom the TeamGuard judges and find team namespaces by
 * label, so adding a team changes none of them.
 */
export class ReachGuard extends pulumi.ComponentResource {
    constructor(name: string, args: ReachGuardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:ReachGuard", name, {}, opts);
        const labels = platformLabels("reach-guard");
        const namespaceSelector = { matchExpressions: [{ key: teamLabel, operator: "Exists" }] };
        for (const policy of reachGuardPolicies(args.engines, { offeredPriorityClasses: args.offeredPriorityClasses, flagger: args.addonGroups?.includes("flagger.app") })) {
            const created = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(`${name}-${policy.name}`, {
                metadata: { name: policy.name, labels },
                spec: {
                    failurePolicy: "Fail",
                    matchConstraints: {
                        namespaceSelector,
                        resourceRules: policy.rules.map((rule) => ({
                            apiGroups: [...rule.apiGroups], apiVersions: [...rule.apiVersions],
                            resources: [...rule.resources], operations: [...rule.operations], scope: "Namespaced",
                        })),
                    },
                    matchConditions: policy.cel.matchConditions.map((c) => ({ ...c })),
                    variables: policy.cel.variables.map((v) => ({ ...v })),
                    validations: policy.cel.validations.map((v) => ({ ...v, reason: "Forbidden" })),
                },
            }, { parent: this });
            new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(`${name}-${policy.name}-binding`, {
                metadata: { name: policy.name, labels },
                spec: { policyName: created.metadata.name, validationActions: ["Deny"] },
            }, { parent: this });
        }
        this.registerOutputs({});
    }
}
