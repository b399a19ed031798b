// The platform's settings, as stack config gives them after validation: what Platform and Team
// are built from. Each part's type belongs to the folder that uses it; config/ produces them.
import { FlaggerSettings, SlackSettings } from "../addons/flagger/settings";
import { FluxV1Settings, MemcachedSettings } from "../engines/flux1/settings";
import { IsolationSettings, NetworkSettings } from "../isolation/settings";

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

export interface TeamSettings extends RepoSettings {
    /** The team's name, which is also its namespace. */
    readonly name: string;
    readonly flux: FluxV1Settings;
    /** The team's own alerting; it has an AlertProvider only when it has a webhook. */
    readonly slack: SlackSettings;
    readonly isolation: IsolationSettings;
}

export interface PlatformSettings {
    /** GitHub organisation or user owning every repo (`github:owner`). */
    readonly githubOwner: string;
    readonly cluster: RepoSettings;
    /** Flux settings of the system instance, and the defaults of every team's. */
    readonly flux: FluxV1Settings;
    readonly memcached: MemcachedSettings;
    readonly flagger: FlaggerSettings;
    readonly network: NetworkSettings;
    readonly teams: readonly TeamSettings[];
}
