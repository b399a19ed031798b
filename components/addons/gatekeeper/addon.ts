// Gatekeeper on the add-on contract (shared/addon.ts): installed first, since every other
// Namespace waits for its fail-closed namespace webhook; per team, its ContainerResources
// constraint in the team's fence, unless the team turns that policy off.
import * as k8s from "@pulumi/kubernetes";
import { Addon, AddonCluster } from "../../shared/addon";
import { gatekeeperNamespace } from "../../shared/names";
import { Gatekeeper } from "./gatekeeper";

/** The part of a team's settings Gatekeeper reads: the policies the team has on (`policies` of its entry). */
export interface GatekeeperTeam {
    readonly fence: { readonly policies: { readonly containerResources: boolean } };
}

/**
 * Gatekeeper's webhook pods and port, as its chart renders them: `--port=8443`, behind the Service
 * `gatekeeper-webhook-service` (docs/upstream.md, "The webhook's pods and port").
 */
export const gatekeeperWebhook = {
    port: 8443,
    podLabels: { "control-plane": "controller-manager", "gatekeeper.sh/operation": "webhook" },
} as const;

export const gatekeeperAddon: Addon<Record<string, never>, GatekeeperTeam> = {
    name: "gatekeeper",
    // A team's `policies` are read with its fence (config/fence.ts); nothing of the platform's.
    config: { plainBecause: {} },
    traits: {
        namespace: gatekeeperNamespace,
        teamKinds: [],
        // Read only in gatekeeper-system (docs/upstream.md, "Gatekeeper's namespaced kinds").
        platformKinds: [
            "configs.config.gatekeeper.sh", "connections.connection.gatekeeper.sh",
            ...["config", "connection", "constraint", "constrainttemplate", "expansiontemplate", "mutator", "provider"]
                .map((kind) => `${kind}podstatuses.status.gatekeeper.sh`),
        ],
        apiServerCalls: gatekeeperWebhook,
    },
    install(name, args, opts): AddonCluster<GatekeeperTeam> {
        const gatekeeper = new Gatekeeper(name, { mirror: args.mirror }, opts);
        const template = gatekeeper.containerResources;
        return {
            addon: "gatekeeper",
            traits: gatekeeperAddon.traits,
            namespace: gatekeeper.namespace,
            parts: [gatekeeper],
            gate: gatekeeper.release,
            statusGroups: [],
            // The team's own constraint, so that adding or removing a team touches no other team's.
            teamFence: (fence, team, opts) => team.settings.fence.policies.containerResources
                ? new k8s.apiextensions.CustomResource(`${fence.name}-container-resources`, {
                    apiVersion: "constraints.gatekeeper.sh/v1beta1",
                    kind: template.kind,
                    metadata: { name: team.name, labels: fence.labels },
                    spec: {
                        enforcementAction: "deny",
                        match: {
                            kinds: [{ apiGroups: [...template.workloads.apiGroups], kinds: [...template.workloads.kinds] }],
                            namespaces: [fence.namespace],
                        },
                    },
                }, { ...opts, dependsOn: [template.template] })
                : undefined,
        };
    },
};
