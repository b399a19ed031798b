import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renamedFrom } from "../../shared/renamed";
import { platformLabels } from "../../shared/names";
import { fluxV1Names } from "./names";

/** The ClusterRoles a namespaced Flux v1 is bound to, by name. */
export interface FluxV1TeamRoleNames {
    /** Every verb on every resource: bound only by a RoleBinding, so only inside one namespace. */
    readonly namespaceAdmin: pulumi.Input<string>;
    /** What Flux v1 discovery reads cluster-wide: list/watch CRDs, list namespaces. */
    readonly discovery: pulumi.Input<string>;
}

/**
 * The rules every team's Flux gets, written once for the whole cluster instead of once per team:
 * a team adds only the bindings, and the rules cannot drift apart between teams.
 */
export class FluxV1TeamRoles extends pulumi.ComponentResource implements FluxV1TeamRoleNames {
    public readonly namespaceAdmin: pulumi.Output<string>;
    public readonly discovery: pulumi.Output<string>;

    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:FluxV1TeamRoles", name, {}, renamedFrom("platform:index:FluxV1TenantRoles", opts));
        const labels = platformLabels("flux");

        this.namespaceAdmin = new k8s.rbac.v1.ClusterRole(`${name}-namespace-admin`, {
            metadata: { name: fluxV1Names.teamRole, labels },
            rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
        }, { parent: this }).metadata.name;

        this.discovery = new k8s.rbac.v1.ClusterRole(`${name}-discovery`, {
            metadata: { name: fluxV1Names.discoveryRole, labels },
            rules: [
                { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
                { apiGroups: [""], resources: ["namespaces"], verbs: ["list"] },
            ],
        }, { parent: this }).metadata.name;

        this.registerOutputs({ namespaceAdmin: this.namespaceAdmin, discovery: this.discovery });
    }
}
