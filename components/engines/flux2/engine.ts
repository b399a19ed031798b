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
import { fluxComponents, FluxComponent, shardingLabel, teamServiceAccountName } from "./fluxInstance";
import { clusterRepoLayout, teamRepoLayout } from "./repoLayout";
import { FluxV2Settings, FluxV2Install } from "./settings";

/**
 * The team kinds each controller's manifest brings with its CRDs, served only when the controller
 * is installed (docs/upstream.md, "The FluxInstance", components); the platform never lists
 * source-watcher.
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
export function installedFluxKinds(install: Pick<FluxV2Install, "helmController" | "imageAutomation">): string[] {
    return [...fluxComponents(install).flatMap((c) => componentKinds[c]), ...operatorKinds];
}

const traits: EngineTraits<FluxV2Settings> = {
    // source-controller only reads; only image-automation-controller pushes, for a repo that
    // automates images.
    keyWritable: (settings) => settings.imageAutomation,
    syncStatusCommand: (namespace) => `flux get kustomizations -n ${namespace}`,
    clusterRepoFiles: clusterRepoLayout,
    teamRepoFiles: teamRepoLayout,
    // Flux v2's controllers, a shard's too, run in the system namespace: nothing in the team's.
    teamFootprint: () => undefined,
    // No pod in a team namespace to exempt, no state kept on a platform object. Bookkeeping: what
    // kustomize-controller writes on every object it applies as the team, its Namespace included,
    // and what kubectl and Flux v1 left there, which it removes (docs/upstream.md, "What kustomize-controller
    // writes on a team's objects"). A shard's name on an object has that shard's controllers
    // reconcile it, so a team may use only its own (docs/upstream.md, "Shards").
    admission: {
        bookkeeping: {
            labels: ["kustomize.toolkit.fluxcd.io/name", "kustomize.toolkit.fluxcd.io/namespace", shardingLabel, "fluxcd.io/sync-gc-mark"],
            annotations: ["kubectl.kubernetes.io/last-applied-configuration", "kustomize.toolkit.fluxcd.io/checksum", "fluxcd.io/sync-checksum"],
        },
        shardLabel: shardingLabel,
        serviceAccounts: [teamServiceAccountName],
        // Only the controllers and the operator write these groups' status (docs/upstream.md,
        // "Status, references and templates the operator and controllers act on").
        statusGroups: [
            "source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io",
            "notification.toolkit.fluxcd.io", "image.toolkit.fluxcd.io", "source.extensions.fluxcd.io",
            "fluxcd.controlplane.io",
        ],
        // The operator reads a ResourceSet's dependencies with its own client, any namespace
        // (docs/upstream.md, "Status, references and templates the operator and controllers act on").
        namespaceReferences: [{ group: "fluxcd.controlplane.io", version: "v1", resource: "resourcesets", path: "dependsOn" }],
        // A shard label in `spec.chart.metadata.labels` hands the HelmChart to that shard's
        // source-controller (docs/upstream.md, "Shards").
        labelTemplates: [{ group: "helm.toolkit.fluxcd.io", version: "v2", resource: "helmreleases", path: "chart.metadata" }],
        // Every Flux and operator kind, whichever controllers are installed.
        teamKinds: [...Object.values(componentKinds).flat(), ...operatorKinds],
        // The operator reconciles only flux-system/flux of each (docs/upstream.md, "The Flux Operator's own kinds").
        platformKinds: ["fluxinstances", "fluxreports"].map((r) => `${r}.fluxcd.controlplane.io`),
    },
};

/** The Flux v2 engine. */
export const fluxV2Engine: Engine<FluxV2Install, FluxV2Settings> = {
    name: "flux2",
    title: "Flux v2",
    config: fluxV2Config,
    traits,
    install(name, args, opts): EngineCluster<FluxV2Settings> {
        const cluster = new FluxV2Cluster(`${name}-flux2`, args, opts);
        const installed = {
            instance: cluster.instance,
            teamRole: cluster.teamRole,
            install: { shards: args.settings.shards, imageAutomation: args.settings.imageAutomation },
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
