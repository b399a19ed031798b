// What one `pulumi up` does to Flux v2's objects when it deletes some: a model of the engine's
// deletions (engineDeletes.ts) with the Flux Operator and Flux's controllers around them. A Flux
// object is gone only once the controller that reconciles it has removed its finalizer; a
// Namespace only once every object in it is gone. The model, each rule read upstream:
// - Every Flux object a controller has seen carries its finalizer `finalizers.fluxcd.io`, which it
//   removes only when it reconciles the object's deletion (kustomize-controller v1.9.4
//   internal/controller/kustomization_controller.go Reconcile: AddFinalizer, `finalize`;
//   source-controller v1.9.1 internal/controller/gitrepository_controller.go `reconcileDelete`;
//   helm-controller v1.6.3 internal/controller/helmrelease_controller.go `reconcileDelete`).
// - A controller sees only the objects of its kinds its label selector admits (`ByObject` in the
//   cache options: source-controller v1.9.1 main.go, its five source kinds; kustomize-controller
//   v1.9.4 main.go, Kustomization; helm-controller v1.6.3 main.go, HelmRelease). The operator starts
//   the shared controllers with `--watch-label-selector=!<key>` and a shard's with `<key>=<shard>`
//   (flux-operator v0.58.1 internal/builder/templates.go).
// - The FluxInstance is updated while the engine registers resources, before any deletion, and
//   Pulumi waits for it to be Ready (`pulumi.com/waitFor`, fluxV2Cluster.ts); the operator has then
//   applied the new controllers and deleted those no longer built, a removed shard's among them
//   (internal/controller/fluxinstance_controller.go `apply`: `inventory.Diff`, `DeleteAll`, then
//   the health check). It removes no finalizer there.
// - A deleted FluxInstance is uninstalled: the operator deletes the controllers, then removes the
//   finalizers of every Flux object in the cluster (internal/controller/fluxinstance_uninstaller.go
//   `uninstall`, `removeFluxFinalizers`).
// - A delete that never completes holds the engine's run until the provider's time-out; it fails,
//   and the engine starts no later antichain (pulumi/pulumi v3.248.0 pkg/resource/deploy/step_executor.go).
import { fluxInstanceName, shardingLabel } from "../../components/engines/flux2/fluxInstance";
import { systemNamespace } from "../../components/shared/names";
import { engineDeletes } from "./engineDeletes";
import { Created, ProgramRun } from "./harness";

/** An object a team's repo made, as it stands in the cluster: its labels as Flux last applied them. */
export interface InCluster {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

export interface FluxUp {
    /** Gone, in the engine's order: `type::name` of each deleted resource. */
    readonly deleted: string[];
    /** Deletes that never complete, and why. */
    readonly stuck: Array<{ readonly resource: string; readonly why: string }>;
    /** Deletes the engine never started: they come after a stuck one. */
    readonly notReached: string[];
    /** The controllers running while the deletes run: `<controller>` or `<controller>-<shard>`. */
    readonly controllers: string[];
}

const fluxInstanceType = "kubernetes:fluxcd.controlplane.io/v1:FluxInstance";

/** The controller that finalizes each kind (the kinds the platform's recordings and the model's team repos hold). */
const controllerOf: Readonly<Record<string, string>> = {
    GitRepository: "source-controller", OCIRepository: "source-controller", HelmRepository: "source-controller",
    HelmChart: "source-controller", Bucket: "source-controller",
    Kustomization: "kustomize-controller",
    HelmRelease: "helm-controller",
    ImageRepository: "image-reflector-controller", ImagePolicy: "image-reflector-controller",
    ImageUpdateAutomation: "image-automation-controller",
};

function instanceOf(run: ProgramRun): Created | undefined {
    return run.recording.ofType(fluxInstanceType).find((r) => r.inputs.metadata?.name === fluxInstanceName && r.inputs.metadata?.namespace === systemNamespace);
}

/** The Deployments the operator runs for a FluxInstance spec: each component, and each shard's copy of the sharded ones. */
function controllersOf(instance: Created | undefined): string[] {
    if (instance === undefined) {
        return [];
    }
    const components: string[] = instance.inputs.spec.components;
    const shards: string[] = instance.inputs.spec.sharding?.shards ?? [];
    const sharded = components.filter((c) => c !== "notification-controller");
    return [...components, ...shards.flatMap((shard) => sharded.map((c) => `${c}-${shard}`))];
}

/** Who finalizes a Flux object with these labels: undefined for an object no Flux controller finalizes. */
function finalizerOf(kind: string, labels: Readonly<Record<string, string>>): string | undefined {
    const controller = controllerOf[kind];
    if (controller === undefined) {
        return undefined;
    }
    const shard = labels[shardingLabel];
    return shard === undefined ? controller : `${controller}-${shard}`;
}

/**
 * The `up` from `before` to `after`: the FluxInstance updated first, then the engine's deletes,
 * with `inCluster` (the objects the teams' repos made) in their namespaces.
 */
export function fluxUp(before: ProgramRun, after: ProgramRun, inCluster: readonly InCluster[] = []): FluxUp {
    const order = engineDeletes(before, after);
    const byId = new Map(before.recording.resources.map((r) => [`${r.type}::${r.name}`, r]));
    // Registered in `after`: updated to its new spec before the first delete. Condemned: as it was.
    const instance = instanceOf(after) ?? instanceOf(before);
    const running = new Set(controllersOf(instance));
    let uninstalled = false;
    const gone = new Set<string>();
    const deleted: string[] = [];
    const stuck: FluxUp["stuck"] = [];
    const notReached: string[] = [];

    const blocker = (kind: string, labels: Readonly<Record<string, string>>): string | undefined => {
        const finalizer = finalizerOf(kind, labels);
        return finalizer === undefined || uninstalled || running.has(finalizer) ? undefined : finalizer;
    };

    for (const antichain of order.antichains) {
        if (stuck.length > 0) {
            notReached.push(...antichain);
            continue;
        }
        const resources = antichain.map((id) => byId.get(id)!);
        if (resources.some((r) => r.type === fluxInstanceType)) {
            uninstalled = true;
        }
        for (const r of resources) {
            const id = `${r.type}::${r.name}`;
            const metadata = r.inputs.metadata ?? {};
            if (r.type === "kubernetes:core/v1:Namespace") {
                // The namespace controller deletes what is left in it; the Namespace goes with the last.
                const left = [
                    ...inCluster.filter((o) => o.namespace === metadata.name),
                    ...before.recording.resources.filter((o) => o.type.startsWith("kubernetes:") && o.inputs.metadata?.namespace === metadata.name &&
                        !gone.has(`${o.type}::${o.name}`)).map((o) => ({ kind: o.inputs.kind ?? o.type.split(":").pop()!, name: o.inputs.metadata.name, labels: o.inputs.metadata.labels ?? {} })),
                ];
                const blocked = left.flatMap((o) => {
                    const waitsFor = blocker(o.kind, o.labels);
                    return waitsFor === undefined ? [] : [`${o.kind} ${metadata.name}/${o.name} waits for ${waitsFor}`];
                });
                if (blocked.length > 0) {
                    stuck.push({ resource: id, why: `Terminating: ${blocked.join("; ")}, which does not run` });
                    continue;
                }
            } else {
                const waitsFor = blocker(r.type.split(":").pop()!, metadata.labels ?? {});
                if (waitsFor !== undefined) {
                    stuck.push({ resource: id, why: `its finalizer waits for ${waitsFor}, which does not run` });
                    continue;
                }
            }
            gone.add(id);
            deleted.push(id);
        }
    }
    return { deleted, stuck, notReached, controllers: [...running].sort() };
}

/**
 * What a team's repo typically makes with Flux: a HelmRepository and a HelmRelease of a chart from
 * it, and a GitRepository with a Kustomization of its own, each labelled as the team's root
 * Kustomization applies them (its `commonMetadata`) in `run`.
 */
export function teamRepoObjects(run: ProgramRun, team: string): InCluster[] {
    const root = run.recording.k8s("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization", team, "gitops-platform");
    const labels: Record<string, string> = root.inputs.spec.commonMetadata?.labels ?? {};
    return ["HelmRepository", "HelmRelease", "GitRepository", "Kustomization"].map((kind) => ({ kind, namespace: team, name: "apps", labels }));
}
