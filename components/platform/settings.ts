// The platform's settings, as stack config gives them after validation: what Platform and Team
// are built from. Each part's type belongs to the folder that uses it; config/ produces them.
import { FlaggerSettings, SlackSettings } from "../addons/flagger/settings";
import { FenceSettings, NetworkSettings } from "../fence/settings";
import { EngineInstallSettings, RepoEngine } from "../engines/registry";
import { MirrorSettings } from "../shared/mirror";

/** A Git repository Flux syncs, and where in it. */
export interface RepoSettings {
    readonly repo: string;
    readonly branch: string;
    /** Directory inside the repo Flux syncs (`--git-path`); "" is the root. */
    readonly path: string;
    /** false: the repo exists already; only the deploy key is registered on it. */
    readonly create: boolean;
    /** Generation of the repo's SSH keypair; changing it replaces the keypair and deploy key. */
    readonly keyVersion: number;
}

/** The cluster admins' repo: synced with cluster-wide rights. */
export interface ClusterSettings extends RepoSettings {
    readonly engine: RepoEngine;
}

export interface TeamSettings extends RepoSettings {
    /** The team's name, which is also its namespace. */
    readonly name: string;
    /**
     * The folders a repo the program creates starts with a layout in: the synced path, and in a
     * fleet each cluster's (a team repo serves every cluster of its fleet).
     */
    readonly layoutPaths: readonly string[];
    /** The team's engine and its settings for the team's repo. */
    readonly engine: RepoEngine;
    /** The team's own alerting; it has an AlertProvider only when it has a webhook. */
    readonly slack: SlackSettings;
    readonly fence: FenceSettings;
    /**
     * The first of the two steps that remove a team: its namespace loses Pulumi's protection and
     * its engine stops applying its repo; removing the entry afterwards deletes the team.
     * false (the default): an `up` without the entry refuses to delete anything of the team.
     */
    readonly offboard: boolean;
}

/**
 * Several clusters, one stack each, sharing one team list (docs/clusters.md). Each team has one
 * repo, created by the owner's stack; each cluster syncs its own folder of it with its own key.
 */
export interface FleetSettings {
    /** This stack's cluster. */
    readonly cluster: string;
    /** Every cluster of the fleet, in the order the list gives them. */
    readonly clusters: readonly string[];
    /** The cluster whose stack creates the teams' repos and their templates. */
    readonly owner: string;
}

export interface PlatformSettings {
    /** GitHub organisation or user owning every repo (`github:owner`). */
    readonly githubOwner: string;
    /** Undefined for a stack that is a cluster of its own. */
    readonly fleet?: FleetSettings;
    readonly cluster: ClusterSettings;
    /** What each engine in use installs once. */
    readonly engines: EngineInstallSettings;
    readonly flagger: FlaggerSettings;
    readonly network: NetworkSettings;
    /** Where the cluster pulls the charts' images, and pulumi the charts, instead of upstream. */
    readonly mirror: MirrorSettings;
    readonly teams: readonly TeamSettings[];
}
