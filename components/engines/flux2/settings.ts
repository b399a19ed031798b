// Flux v2's settings, as stack config gives them after validation: what is installed once
// (FluxV2Install) and how one repo is synced (FluxV2Settings).
import * as pulumi from "@pulumi/pulumi";
import { fluxOperatorChart, FluxV2Release, fluxV2Registry, fluxV2Releases, fluxV2Version } from "../../shared/versions";

/** Requests and limits of one container, in Kubernetes quantities. */
export interface ContainerResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** The operator's vertical scaling profiles (docs/upstream.md, "The FluxInstance", sizes). */
export type FluxControllerSize = "small" | "medium" | "large";

/** How big the shared Flux controllers are: one of the operator's profiles, or explicit resources. */
export type FluxControllerSizing =
    | { readonly size: FluxControllerSize }
    | { readonly resources: ContainerResources };

/**
 * A shard: a set of Flux controllers of its own (source, kustomize, helm and, when installed, the
 * image controllers) in the system namespace, which reconcile only the objects labelled with the
 * shard (docs/upstream.md, "Shards").
 */
export interface FluxV2Shard {
    /** The shard's name, the value of the sharding label; its controllers are named `<controller>-<name>`. */
    readonly name: string;
    /** What each of the shard's controllers requests and may use. */
    readonly resources: ContainerResources;
}

/** The image builds the operator pins by digest (FluxInstance `distribution.variant`). */
export const fluxV2Variants = ["upstream-alpine", "enterprise-alpine", "enterprise-distroless", "enterprise-distroless-fips"] as const;
export type FluxV2Variant = typeof fluxV2Variants[number];

/**
 * Registries whose variant the operator knows without being told; from any other, without a
 * variant, it silently runs tags without digests (docs/upstream.md, "The FluxInstance", images).
 */
export const knownRegistries = ["fluxcd", "ghcr.io/fluxcd", "ghcr.io/controlplaneio-fluxcd/alpine", "ghcr.io/controlplaneio-fluxcd/distroless",
    "709825985650.dkr.ecr.us-east-1.amazonaws.com/controlplane/fluxcd", "ghcr.io/controlplaneio-fluxcd/distroless-fips"];

/** What Flux v2 installs once per cluster. */
export interface FluxV2Install {
    /** The Flux release, exact ("2.9.4"): see `fluxV2Releases` for the ones a stack may pin. */
    readonly version: string;
    /** The registry of the Flux images. */
    readonly registry: string;
    /**
     * Which build of the images the registry holds (FluxInstance `distribution.variant`); unset, the
     * operator knows it only for its own registries. With it the operator pins each image by digest.
     */
    readonly variant?: FluxV2Variant;
    /** The Flux Operator's chart version (the operator's version). */
    readonly operatorChartVersion: string;
    /** The operator's own pod (chart value `resources`). */
    readonly operatorResources: ContainerResources;
    /** The shared controllers' size. */
    readonly controllers: FluxControllerSizing;
    /** Whether helm-controller runs, so that teams may use HelmReleases. */
    readonly helmController: boolean;
    /**
     * Whether the image automation controllers run: true when any repo has `imageAutomation`.
     * Nothing else starts them, so a cluster without image automation runs neither.
     */
    readonly imageAutomation: boolean;
    /**
     * The operator's NetworkPolicies in the system namespace (FluxInstance `cluster.networkPolicy`),
     * which admit only that namespace's pods; the platform's own policy admits the team fluxds to
     * the shared memcached there (components/fence/systemNetwork.ts), so Flux v1 works too.
     */
    readonly networkPolicy: boolean;
    /**
     * The operator's web UI (chart value `web`): absent, it is off, since without authentication
     * it answers anyone with the operator's cluster-admin account. Given, the Secret (in the system
     * namespace) holding its Web Config API, whose authentication makes it act as each user.
     */
    readonly webUi?: { readonly configSecretName: string };
    /** The shards of the repos with dedicated controllers, and the retired ones; empty when none has them. */
    readonly shards: readonly FluxV2Shard[];
    /**
     * Shards whose team has been removed (`platform:flux2.retiredShards`): still installed, for the
     * `up` that deletes the team's namespace, since only they finalize its Flux objects.
     */
    readonly retiredShards: readonly string[];
}

/** A Slack channel a repo's sync reports to. */
export interface FluxV2Alerts {
    readonly channel: string;
    /** The Slack incoming webhook URL: a credential, kept secret to the Secret the Provider reads. */
    readonly webhook: pulumi.Input<string>;
    /** "error" (the default): failed syncs only; "info": every change Flux makes too. */
    readonly eventSeverity?: "info" | "error";
}

/** How one repo is synced; a team entry overrides the platform-wide values. */
export interface FluxV2Settings {
    /** How often the repo is fetched and applied (GitRepository and Kustomization `interval`), "5m". */
    readonly interval: string;
    /** How long an apply and its health checks may take (Kustomization `timeout`), "3m". */
    readonly timeout: string;
    /**
     * Whether the repo's own ImageUpdateAutomation may push image updates to it: its deploy key
     * is then write-enabled, and the image controllers must be installed (`FluxV2Install.imageAutomation`).
     */
    readonly imageAutomation: boolean;
    /**
     * The shard whose controllers reconcile this repo's Flux objects, the Flux v2 form of "one
     * Flux per team"; absent: the shared controllers. Must be one of `FluxV2Install.shards`.
     */
    readonly dedicatedControllers?: FluxV2Shard;
    /** Where failed syncs are reported; absent: nowhere but the objects' status and events. */
    readonly alerts?: FluxV2Alerts;
}

/**
 * What a controller of a shard asks for unless its team sizes it: the requests of Flux's own
 * manifests, and the `small` profile's limits.
 */
export const defaultShardResources: ContainerResources = {
    requests: { cpu: "100m", memory: "64Mi" },
    limits: { cpu: "1000m", memory: "512Mi" },
};

/** The defaults the config module starts from; a stack overrides them key by key. */
export const fluxV2Defaults = {
    install: {
        version: fluxV2Version,
        registry: fluxV2Registry,
        operatorChartVersion: fluxOperatorChart.version,
        // The chart's own defaults (docs/upstream.md, "The operator's chart and network policies"),
        // written out so that the platform's footprint is known.
        operatorResources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "2000m", memory: "1Gi" } },
        // Tens of apps per team and a few teams: the operator's profile for that size.
        controllers: { size: "small" },
        helmController: true,
        imageAutomation: false,
        networkPolicy: true,
        shards: [],
        retiredShards: [],
    } satisfies FluxV2Install,
    repo: {
        interval: "5m",
        timeout: "3m",
        imageAutomation: false,
    } satisfies FluxV2Settings,
    shardResources: defaultShardResources,
} as const;

/** Whether `version` is one exact Flux release ("2.9.4"), not a range the operator would follow. */
export function isExactFluxRelease(version: string): boolean {
    return /^\d+\.\d+\.\d+$/.test(version);
}

/** The release line `version` belongs to, with its Kubernetes range; undefined when the operator cannot install it. */
export function fluxV2ReleaseOf(version: string): FluxV2Release | undefined {
    if (!isExactFluxRelease(version)) {
        return undefined;
    }
    const [major, minor, patch] = version.split(".").map(Number);
    const release = fluxV2Releases.find((r) => r.minor === `${major}.${minor}`);
    const newestPatch = release === undefined ? -1 : Number(release.newestPatch.split(".")[2]);
    return release !== undefined && patch <= newestPatch && !release.notCarried.includes(version) ? release : undefined;
}
