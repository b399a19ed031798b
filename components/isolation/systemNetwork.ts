// The platform's own namespaces closed by the platform: NetworkPolicies in flux-system and in
// each add-on's (gatekeeper-system, flagger-system). Nothing in a team namespace reaches a pod of these but
// what is named below, each with its reason. A NetworkPolicy only admits; what no policy of the
// namespace admits is dropped once one policy selects the pod (the network plugin must enforce
// NetworkPolicy: docs/tenant-isolation.md).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonTraits } from "../shared/addon";
import { fluxV1Names, partOfLabel, platformLabels, platformPartOf, systemNamespace, teamLabel } from "../shared/names";

/** The names of the platform's NetworkPolicies in its own namespaces. */
export const systemNetworkNames = {
    /** In each platform namespace: every pod, ingress from that namespace only. */
    sameNamespace: "platform-same-namespace",
    /** flux-system, with Flux v1: the team fluxds to the shared memcached. */
    memcached: "platform-memcached-from-fluxd",
    /** An add-on's namespace: the API server to its webhook (Gatekeeper's). */
    webhook: "platform-webhook-from-api-server",
} as const;

/** memcached's port and the labels of its pods (components/engines/flux1/memcached.ts). */
export const memcachedPeer = {
    port: 11211,
    podLabels: { "app.kubernetes.io/name": "memcached", "app.kubernetes.io/instance": fluxV1Names.memcached },
} as const;

/**
 * A team's fluxd pod: the labels the Flux v1 Deployment gives it (components/engines/flux1/fluxV1.ts),
 * which no team can give a pod of its own: the TenantGuard refuses any object labelled
 * `app.kubernetes.io/part-of=gitops-platform` from a team's service accounts.
 */
export const fluxdPodLabels = { "app.kubernetes.io/name": "flux", [partOfLabel]: platformPartOf } as const;

export interface SystemNetworkArgs {
    /** Whether Flux v1 runs: its teams' fluxds then need the memcached in the system namespace. */
    readonly fluxV1: boolean;
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

        if (args.fluxV1) {
            // Flux v1 teams' fluxds keep their image metadata cache in the memcached of the system
            // namespace (`--memcached-hostname`, components/engines/flux1/fluxV1.ts). Only that port,
            // only from fluxd pods, only in team namespaces: a team's own pods stay out, so one team
            // cannot read or poison the cache other teams' fluxds use.
            policy(`${systemNamespace}-memcached`, args.system, systemNetworkNames.memcached, {
                podSelector: { matchLabels: { ...memcachedPeer.podLabels } },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{
                        namespaceSelector: { matchExpressions: [{ key: teamLabel, operator: "Exists" }] },
                        podSelector: { matchLabels: { ...fluxdPodLabels } },
                    }],
                    ports: [{ port: memcachedPeer.port, protocol: "TCP" }],
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
