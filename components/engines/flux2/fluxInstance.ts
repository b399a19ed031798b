// The FluxInstance the program owns: which Flux, which controllers, locked down for tenants,
// sized and sharded. Read against flux-operator v0.58.1: the CRD
// `config/crd/bases/fluxcd.controlplane.io_fluxinstances.yaml`, `docs/api/v1/fluxinstance.md` and
// the way the controller turns the spec into Flux's manifests
// (`internal/controller/fluxinstance_controller.go`, `internal/builder/*.go`).
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
type FluxComponent =
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
 * operator's own size profiles use (`internal/builder/profiles.go`). Kustomize matches a target
 * name as an anchored regular expression (kubernetes-sigs/kustomize `api/types/selector.go`
 * `anchorRegex`: `^(?:<name>)$`), so `(a|b)` does not match a shard's `a-<shard>`.
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

/** The FluxInstance's `spec`: see the field-by-field sources above and in the engine's specs. */
export function fluxInstanceSpec(shared: FluxV2Shared): Record<string, unknown> {
    const components = fluxComponents(shared);
    const patches: KustomizePatch[] = [];
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
        distribution: { version: shared.version, registry: shared.registry },
        components,
        cluster: {
            type: "kubernetes",
            ...("size" in shared.controllers ? { size: shared.controllers.size } : {}),
            // --no-cross-namespace-refs on every controller, --no-remote-bases on kustomize-controller,
            // --default-service-account on kustomize- and helm-controller (`GetProfileMultitenant`).
            multitenant: true,
            tenantDefaultServiceAccount: tenantServiceAccountName,
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
