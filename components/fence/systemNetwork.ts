// The platform's own namespaces closed by the platform: NetworkPolicies in flux-system and in
// each add-on's (gatekeeper-system, flagger-system). Nothing in a team namespace reaches a pod of these but
// what is named below, each with its reason. A NetworkPolicy only admits; what no policy of the
// namespace admits is dropped once one policy selects the pod (the network plugin must enforce
// NetworkPolicy: docs/fence.md).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonTraits } from "../shared/addon";
import { SystemPeer } from "../shared/engine";
import { platformLabels, systemNamespace, teamLabel } from "../shared/names";

/** The names of the platform's NetworkPolicies in its own namespaces. */
export const systemNetworkNames = {
    /** In each platform namespace: every pod, ingress from that namespace only. */
    sameNamespace: "platform-same-namespace",
    /** An add-on's namespace: the API server to its webhook (Gatekeeper's). */
    webhook: "platform-webhook-from-api-server",
} as const;

export interface SystemNetworkArgs {
    /** What the installed engines' pods in team namespaces call in the system namespace (Flux v1's memcached). */
    readonly enginePeers: readonly SystemPeer[];
    /** The system namespace, passed as an output so that each policy waits for it. */
    readonly system: pulumi.Input<string>;
    /** The add-ons installed, each with its namespace as an output. */
    readonly addons: readonly { readonly traits: AddonTraits; readonly namespace: pulumi.Input<string> }[];
}

/**
 * NetworkPolicies in the platform's namespaces: each namespace admits its own pods only, and the
 * exceptions the platform needs. The Flux Operator's own policies (FluxInstance
 * `cluster.networkPolicy`, narrowed in components/engines/flux2/fluxInstance.ts) add to these in
 * flux-system. Created once; adding a team changes none of them (teams are found by the
 * `gitops-platform/team` label on their namespace).
 */
export class SystemNetwork extends pulumi.ComponentResource {
    constructor(name: string, args: SystemNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:SystemNetwork", name, {}, opts);
        const parent = { parent: this };
        const labels = platformLabels("system-network");
        const policy = (part: string, namespace: pulumi.Input<string>, policyName: string,
            spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${part}`, { metadata: { name: policyName, namespace, labels }, spec }, parent);

        // Default deny of ingress from every other namespace, teams' included: every pod of the
        // namespace, admitting only pods of the same namespace (Flux's controllers talk to each
        // other, Flagger queries its Prometheus, Gatekeeper's post-install Job probes its webhook).
        const sameNamespace: k8s.types.input.networking.v1.NetworkPolicySpec = {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: {} }] }],
        };
        policy(systemNamespace, args.system, systemNetworkNames.sameNamespace, sameNamespace);
        for (const addon of args.addons) {
            // Nothing outside needs an add-on's pods but what is opened below: Flagger queries its
            // Prometheus from its own namespace, and teams' MetricTemplates are evaluated by Flagger.
            policy(addon.traits.namespace, addon.namespace, systemNetworkNames.sameNamespace, sameNamespace);
        }

        for (const peer of args.enginePeers) {
            // That port only, only from the engine's own pods, only in team namespaces: a team's
            // own pods stay out.
            policy(`${systemNamespace}-${peer.part}`, args.system, peer.policyName, {
                podSelector: { matchLabels: { ...peer.podLabels } },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{
                        namespaceSelector: { matchExpressions: [{ key: teamLabel, operator: "Exists" }] },
                        podSelector: { matchLabels: { ...peer.callerLabels } },
                    }],
                    ports: [{ port: peer.port, protocol: "TCP" }],
                }],
            });
        }

        // Admission webhooks are called by the API server, which is not a pod: no namespaceSelector
        // or podSelector can name it, and its source address is the node's or the managed control
        // plane's, which differs by cluster. So the webhook port admits every source, on that port
        // only; the add-on's other ports (Gatekeeper's metrics and health) stay closed. What a team's
        // pod gains from reaching it: sending an AdmissionReview of its own making and reading the
        // verdict, which it can learn from the API server anyway.
        for (const { traits, namespace } of args.addons) {
            if (traits.apiServerCalls) {
                policy(`${traits.namespace}-webhook`, namespace, systemNetworkNames.webhook, {
                    podSelector: { matchLabels: { ...traits.apiServerCalls.podLabels } },
                    policyTypes: ["Ingress"],
                    ingress: [{ ports: [{ port: traits.apiServerCalls.port, protocol: "TCP" }] }],
                });
            }
        }

        this.registerOutputs({});
    }
}
