// Flux v2 behind the engine contract (components/shared/engine.ts), through the Flux Operator.
//
// Installed once: the operator, the FluxInstance that has it run Flux's controllers in the system
// namespace, and the ClusterRole every team's sync account is bound to (FluxV2Cluster). Per repo:
// objects only, no pod (FluxV2). Everything the rest of the platform needs to know about Flux v2
// is answered by `fluxV2Engine.traits`.
import * as pulumi from "@pulumi/pulumi";
import { Engine, EngineCluster, EngineTraits, RepoSyncArgs } from "../../shared/engine";
import { fluxV2Config } from "./config";
import { FluxV2 } from "./fluxV2";
import { FluxV2Cluster } from "./fluxV2Cluster";
import { fluxComponents, FluxComponent, shardingLabel, tenantServiceAccountName } from "./fluxInstance";
import { clusterRepoLayout, teamRepoLayout } from "./repoLayout";
import { FluxV2Settings, FluxV2Shared } from "./settings";

/**
 * The team kinds each controller's manifest brings, its CRDs (flux-operator v0.58.1
 * config/data/flux/v2.9.4/<component>.yaml). The operator applies only the files of the components
 * a FluxInstance lists (internal/builder/templates.go, `range .Components`), so a kind is served
 * only when its controller is installed; source-watcher's the platform never lists.
 */
const componentKinds: Readonly<Record<FluxComponent | "source-watcher", readonly string[]>> = {
    "source-controller": ["gitrepositories", "ocirepositories", "helmrepositories", "helmcharts", "buckets", "externalartifacts"].map((r) => `${r}.source.toolkit.fluxcd.io`),
    "kustomize-controller": ["kustomizations.kustomize.toolkit.fluxcd.io"],
    "helm-controller": ["helmreleases.helm.toolkit.fluxcd.io"],
    "notification-controller": ["alerts", "providers", "receivers"].map((r) => `${r}.notification.toolkit.fluxcd.io`),
    "image-reflector-controller": ["imagerepositories", "imagepolicies"].map((r) => `${r}.image.toolkit.fluxcd.io`),
    "image-automation-controller": ["imageupdateautomations.image.toolkit.fluxcd.io"],
    "source-watcher": ["artifactgenerators.source.extensions.fluxcd.io"],
};
/** The operator's own namespaced kinds a team may create, from its chart's CRDs, always installed with it. */
const operatorKinds = ["resourcesets", "resourcesetinputproviders"].map((r) => `${r}.fluxcd.controlplane.io`);

/** The team kinds a Flux v2 install serves: the operator's, and those of the controllers it runs. */
export function installedFluxKinds(shared: Pick<FluxV2Shared, "helmController" | "imageAutomation">): string[] {
    return [...fluxComponents(shared).flatMap((c) => componentKinds[c]), ...operatorKinds];
}

const traits: EngineTraits<FluxV2Settings> = {
    // source-controller only reads; only image-automation-controller pushes, for a repo that
    // automates images.
    keyWritable: (settings) => settings.imageAutomation,
    syncStatusCommand: (namespace) => `flux get kustomizations -n ${namespace}`,
    clusterRepoFiles: clusterRepoLayout,
    teamRepoFiles: teamRepoLayout,
    // Flux v2's controllers, a shard's too, run in the system namespace: nothing in the team's.
    tenantFootprint: () => undefined,
    // No pod in a team namespace to exempt, no state kept on a platform object. Its
    // kustomize-controller applies a team's objects server-side as the team's own account, its
    // Namespace too when a team's repo carries it (kustomize-controller v1.9.4
    // internal/controller/kustomization_controller.go, `apply`), and on each object it writes its
    // owner labels (`resourceManager.SetOwnerLabels`), the Kustomization's commonMetadata (a team
    // with dedicated controllers: the shard label, fluxV2.ts), and removes what kubectl and Flux v1
    // left there (`applyOpts.Cleanup`, a JSON patch sent as the same account, fluxcd/pkg
    // ssa/v0.76.1 ssa/manager_apply.go `cleanupMetadata`): a team that came from Flux v1 carries
    // them on its Namespace after the last Flux v1 repo has left too. The shard label does nothing
    // on a Namespace: the sharded controllers select only their own kinds by it
    // (source-controller v1.9.1 main.go, kustomize-controller v1.9.4 main.go, `ByObject`).
    // A team's dedicated controllers are a shard named after the team (config.ts), which the
    // operator starts with `--watch-label-selector=<key>=<shard>`, and the shared ones with
    // `!<key>` (flux-operator v0.58.1 internal/builder/templates.go): whoever labels an object
    // with a shard's name has that shard's controllers reconcile it.
    admission: {
        bookkeeping: {
            labels: ["kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace", shardingLabel, "fluxcd.io/sync-gc-mark"],
            annotations: ["kubectl.kubernetes.io/last-applied-configuration", "kustomize.toolkit.fluxcd.io/checksum", "fluxcd.io/sync-checksum"],
        },
        shardLabel: shardingLabel,
        serviceAccounts: [tenantServiceAccountName],
        // The controllers' and the operator's groups (flux-operator v0.58.1 config/data/flux/v2.9.4/rbac.yaml,
        // crd-controller: `*` on each; the operator's own ResourceSets and ResourceSetInputProviders).
        statusGroups: [
            "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
            "notification.toolkit.fluxcd.io", "image.toolkit.fluxcd.io", "source.extensions.fluxcd.io",
            "fluxcd.controlplane.io",
        ],
        // The operator reads each dependency of a ResourceSet with its own client and evaluates the
        // team's `readyExpr` on it (flux-operator v0.58.1 internal/controller/resourceset_controller.go,
        // checkDependencies: `r.Client.Get` of `dep.Namespace`/`dep.Name`, any kind; an empty
        // namespace reads a cluster-scoped object).
        namespaceReferences: [{ group: "fluxcd.controlplane.io", version: "v1", resource: "resourcesets", path: "dependsOn" }],
        // helm-controller makes a HelmChart from `spec.chart` with `spec.chart.metadata.labels`
        // (helm-controller v1.6.3 api/v2 HelmChartTemplateObjectMeta, Flux v2.9.4): a shard label
        // there hands the HelmChart to that shard's source-controller.
        labelTemplates: [{ group: "helm.toolkit.fluxcd.io", version: "v2", resource: "helmreleases", path: "chart.metadata" }],
        // The CRDs of Flux v2.9.4 (flux-operator v0.58.1 config/data/flux/v2.9.4) and the operator's
        // own namespaced ones (config/crd/bases), whichever controllers are installed.
        teamKinds: [...Object.values(componentKinds).flat(), ...operatorKinds],
        // The operator reconciles only flux-system/flux of each (docs/upstream.md, "The Flux Operator's own kinds").
        platformKinds: ["fluxinstances", "fluxreports"].map((r) => `${r}.fluxcd.controlplane.io`),
    },
};

/** The Flux v2 engine. */
export const fluxV2Engine: Engine<FluxV2Shared, FluxV2Settings> = {
    name: "flux2",
    title: "Flux v2",
    config: fluxV2Config,
    traits,
    install(name, args, opts): EngineCluster<FluxV2Settings> {
        const cluster = new FluxV2Cluster(`${name}-flux2`, args, opts);
        const installed = {
            instance: cluster.instance,
            tenantRole: cluster.tenantRole,
            shared: { shards: args.settings.shards, imageAutomation: args.settings.imageAutomation },
        };
        return {
            engine: "flux2",
            traits,
            parts: [cluster],
            installedKinds: installedFluxKinds(args.settings),
            sync(syncName: string, sync: RepoSyncArgs<FluxV2Settings>, syncOpts: pulumi.ComponentResourceOptions) {
                return new FluxV2(syncName, { ...sync, installed }, syncOpts);
            },
        };
    },
};
