// The FluxInstance the program owns: which Flux, which controllers, locked down for tenants,
// sized and sharded. Read against flux-operator v0.58.1: the CRD
// `config/crd/bases/fluxcd.controlplane.io_fluxinstances.yaml`, `docs/api/v1/fluxinstance.md` and
// the way the controller turns the spec into Flux's manifests
// (`internal/controller/fluxinstance_controller.go`, `internal/builder/*.go`).
import { flaggerNamespace } from "../../shared/names";
import { ContainerResources, FluxV2Shared } from "./settings";

/** The operator's API: group and version of the CRD; kind FluxInstance. */
export const fluxInstanceApiVersion = "fluxcd.controlplane.io/v1";
/** The CRD accepts no other name (its CEL rule `self.metadata.name == 'flux'`). */
export const fluxInstanceName = "flux";

/**
 * The ServiceAccount every tenant sync impersonates, created by the engine in each team's
 * namespace, and the one the controllers fall back to for a Flux object that names none
 * (`cluster.tenantDefaultServiceAccount`, which the operator turns into
 * `--default-service-account=<it>` on kustomize-controller and helm-controller,
 * `internal/builder/profiles.go` `GetProfileMultitenant`). So a Kustomization or HelmRelease a
 * team adds in its own repo runs with exactly the team's rights. No account of this name exists
 * in the system namespace, so an object there that names no account can do nothing.
 */
export const tenantServiceAccountName = "flux-tenant";

/**
 * The label that puts a Flux object on a shard: the CRD's default for `sharding.key`. The
 * operator starts the shared controllers with `--watch-label-selector=!<key>` and each shard's
 * with `--watch-label-selector=<key>=<shard>` (`internal/builder/templates.go`, the kustomization
 * and shard templates).
 */
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
export function fluxComponents(shared: Pick<FluxV2Shared, "helmController" | "imageAutomation">): FluxComponent[] {
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
 * Replaces the container resources of the named Deployments: a JSON6902 patch, the form the
 * operator's own size profiles use (`internal/builder/profiles.go`). A target name is an anchored
 * regular expression matched against a Deployment's current name and every earlier one
 * (kustomize api v0.21.1 `types/selector.go` `anchorRegex`, `resmap/reswrangler.go` `Select`:
 * `PrevIds`), and a shard's `a-<shard>` was `a` before the operator's `nameSuffix`: the shared
 * patch sizes the shards too, and each shard's own patch, after it, sets the shard's size.
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
 * Narrows two of the operator's NetworkPolicies (flux-operator v0.58.1
 * `config/data/flux/v2.9.4/policies.yaml`; the FluxInstance's patches apply to them as to every
 * object it builds, `internal/builder/templates.go`, the kustomization's `resources` and `patches`):
 * - `allow-scraping` admits port 8080 of every pod of the namespace from every namespace: the
 *   controllers' and the operator's metrics, and pprof beside them on the same server (fluxcd/pkg
 *   `runtime/pprof` `GetHandlers`, which every controller mounts on its metrics server), whose
 *   heap profile holds what the controller has in memory, git credentials included. Only
 *   Prometheus is admitted now.
 * - `allow-webhooks` admits, in the 2.8 releases a stack may pin (`config/data/flux/v2.8.8/`),
 *   every port of notification-controller from every namespace, its events endpoint (9090) too
 *   (2.9.4's already admits the receiver port only), where anyone could post an event about another team's objects and
 *   have it sent to that team's Slack. Only the receiver port is admitted now: each Receiver's path
 *   is its own secret token.
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

/** The FluxInstance's `spec`: see the field-by-field sources above and in the engine's specs. */
export function fluxInstanceSpec(shared: FluxV2Shared): Record<string, unknown> {
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
            // --no-cross-namespace-refs on every controller, --no-remote-bases on kustomize-controller,
            // --default-service-account on kustomize- and helm-controller (`GetProfileMultitenant`).
            multitenant: true,
            tenantDefaultServiceAccount: tenantServiceAccountName,
            // The workload identity lockdown (Flux 2.7 and later; every release a stack may pin):
            // a team's `provider: aws|azure|gcp` source, its SOPS decryption and its remote
            // kubeconfig run as a service account of the team's own namespace, never as the
            // controllers' cloud identity (`internal/builder/workload_identity.go`,
            // `profileClusterMultitenantWorkloadIdentity`: `--default-service-account`,
            // `--default-decryption-service-account`, `--default-kubeconfig-service-account`).
            // The CRD requires objectLevelWorkloadIdentity with it (its CEL rule).
            objectLevelWorkloadIdentity: true,
            multitenantWorkloadIdentity: true,
            tenantDefaultDecryptionServiceAccount: tenantServiceAccountName,
            tenantDefaultKubeConfigServiceAccount: tenantServiceAccountName,
            networkPolicy: shared.networkPolicy,
        },
        ...(shared.shards.length > 0
            ? { sharding: { key: shardingLabel, shards: shared.shards.map((s) => s.name) } }
            : {}),
        // Applied after the size and multi-tenancy profiles (`fluxinstance_controller.go` appends
        // `spec.kustomize.patches` last), so explicit resources win over the size profile.
        ...(patches.length > 0 ? { kustomize: { patches } } : {}),
        // No `sync`: the program creates the cluster repo's GitRepository and Kustomization itself,
        // with an account of its own (see FluxV2), and the cluster repo must not carry this object.
    };
}
