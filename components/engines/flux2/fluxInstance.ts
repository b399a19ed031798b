// The FluxInstance the program owns: which Flux, which controllers, locked down for teams,
// sized and sharded (docs/upstream.md, "The FluxInstance").
import { flaggerNamespace } from "../../shared/names";
import { ContainerResources, FluxV2Install } from "./settings";

/** The operator's API: group and version of the CRD; kind FluxInstance. */
export const fluxInstanceApiVersion = "fluxcd.controlplane.io/v1";
/** The only name the CRD accepts. */
export const fluxInstanceName = "flux";

/**
 * The ServiceAccount every team sync impersonates, created in each team's namespace, and the one
 * the controllers fall back to for a Flux object that names none (`cluster.tenantDefaultServiceAccount`),
 * so a team's own Kustomization or HelmRelease runs with exactly the team's rights. None exists in
 * the system namespace, where an object that names no account can do nothing.
 */
export const teamServiceAccountName = "flux-tenant";

/** The label that puts a Flux object on a shard: the CRD's default for `sharding.key` (docs/upstream.md, "Shards"). */
export const shardingLabel = "sharding.fluxcd.io/key";

/** Flux's controllers as the operator names them (the CRD's `components` enum). */
export type FluxComponent =
    | "source-controller" | "kustomize-controller" | "helm-controller" | "notification-controller"
    | "image-reflector-controller" | "image-automation-controller";

/** The operator shards these of the installed controllers; notification-controller serves every shard. */
const shardedComponents: readonly FluxComponent[] = [
    "source-controller", "kustomize-controller", "helm-controller", "image-reflector-controller", "image-automation-controller",
];

/** The controllers to install: the core ones, helm-controller when wanted, the image ones only when a repo automates images. */
export function fluxComponents(shared: Pick<FluxV2Install, "helmController" | "imageAutomation">): FluxComponent[] {
    return [
        "source-controller",
        "kustomize-controller",
        ...(shared.helmController ? ["helm-controller" as const] : []),
        "notification-controller",
        ...(shared.imageAutomation ? ["image-reflector-controller" as const, "image-automation-controller" as const] : []),
    ];
}

interface KustomizePatch {
    readonly target: { readonly kind: string; readonly name: string };
    readonly patch: string;
}

/**
 * Replaces the container resources of the named Deployments, a JSON6902 patch as in the operator's
 * own size profiles. The shared patch reaches the shards' Deployments too (a target matches earlier
 * names, docs/upstream.md, "The FluxInstance", patches), so each shard's own patch comes after it.
 */
function resourcesPatch(deployments: readonly string[], resources: ContainerResources): KustomizePatch {
    const { cpu, memory } = resources.limits;
    const value = { requests: { ...resources.requests }, limits: cpu === undefined ? { memory } : { cpu, memory } };
    return {
        target: { kind: "Deployment", name: `(${deployments.join("|")})` },
        // JSON is YAML, and kustomize reads a patch that parses as a list as JSON6902.
        patch: JSON.stringify([{ op: "replace", path: "/spec/template/spec/containers/0/resources", value }]),
    };
}

/** Who may scrape metrics in the system namespace: Flagger's Prometheus, the one the platform installs. */
export const metricsScraper = {
    namespace: flaggerNamespace,
    podLabels: { "app.kubernetes.io/name": "flagger-prometheus" },
} as const;

/** notification-controller's webhook receiver (its container port `http-webhook`, behind the Service `webhook-receiver`); its events port 9090 is for the controllers beside it. */
export const receiverPort = 9292;

/**
 * Narrows two of the operator's NetworkPolicies (docs/upstream.md, "The operator's chart and
 * network policies"):
 * - `allow-scraping`: port 8080 serves pprof beside the metrics, and a heap profile holds the
 *   controller's memory, git credentials included. Only Prometheus is admitted.
 * - `allow-webhooks`: in the 2.8 releases anyone could post to the events port an event about
 *   another team's objects, sent on to that team's Slack. Only the receiver port is admitted: each
 *   Receiver's path is its own secret token.
 */
function networkPolicyPatches(): KustomizePatch[] {
    const replaceIngress = (name: string, ingress: unknown) => ({
        target: { kind: "NetworkPolicy", name },
        patch: JSON.stringify([{ op: "replace", path: "/spec/ingress", value: ingress }]),
    });
    return [
        replaceIngress("allow-scraping", [{
            from: [{
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": metricsScraper.namespace } },
                podSelector: { matchLabels: { ...metricsScraper.podLabels } },
            }],
            ports: [{ port: 8080, protocol: "TCP" }],
        }]),
        replaceIngress("allow-webhooks", [{ ports: [{ port: receiverPort, protocol: "TCP" }] }]),
    ];
}

/** The FluxInstance's `spec` (docs/upstream.md, "The FluxInstance"). */
export function fluxInstanceSpec(shared: FluxV2Install): Record<string, unknown> {
    const components = fluxComponents(shared);
    const patches: KustomizePatch[] = shared.networkPolicy ? networkPolicyPatches() : [];
    if ("resources" in shared.controllers) {
        patches.push(resourcesPatch(components, shared.controllers.resources));
    }
    const sharded = components.filter((c) => shardedComponents.includes(c));
    for (const shard of shared.shards) {
        // The operator names a shard's Deployments `<controller>-<shard>` (its shard template's nameSuffix).
        patches.push(resourcesPatch(sharded.map((c) => `${c}-${shard.name}`), shard.resources));
    }
    return {
        // Exact: the operator upgrades within a range on its own, outside `pulumi preview`.
        distribution: { version: shared.version, registry: shared.registry, ...(shared.variant ? { variant: shared.variant } : {}) },
        components,
        cluster: {
            type: "kubernetes",
            ...("size" in shared.controllers ? { size: shared.controllers.size } : {}),
            // No cross-namespace references, no remote bases, the team account by default.
            multitenant: true,
            tenantDefaultServiceAccount: teamServiceAccountName,
            // A team's cloud sources, SOPS decryption and remote kubeconfigs run as an account of
            // its own namespace, never as the controllers' cloud identity (docs/upstream.md, "The
            // FluxInstance", workload identity lockdown; the CRD requires objectLevelWorkloadIdentity).
            objectLevelWorkloadIdentity: true,
            multitenantWorkloadIdentity: true,
            tenantDefaultDecryptionServiceAccount: teamServiceAccountName,
            tenantDefaultKubeConfigServiceAccount: teamServiceAccountName,
            networkPolicy: shared.networkPolicy,
        },
        ...(shared.shards.length > 0
            ? { sharding: { key: shardingLabel, shards: shared.shards.map((s) => s.name) } }
            : {}),
        // Applied after the profiles, so explicit resources win over the size profile.
        ...(patches.length > 0 ? { kustomize: { patches } } : {}),
        // No `sync`: the program creates the cluster repo's GitRepository and Kustomization itself,
        // with an account of its own (see FluxV2), and the cluster repo must not carry this object.
    };
}
