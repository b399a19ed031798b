// The validated, defaulted shape of the stack config. Components receive these objects, never
// pulumi.Config, so every value here has already been checked. Each type belongs to the
// component folder that uses it (components never import config/); they are named here as
// config/ knows them.
import { FluxV1Settings } from "../components/engines/flux1/settings";
import { PlatformSettings } from "../components/platform/settings";

export type { FlaggerSettings, SlackSettings } from "../components/addons/flagger/settings";
export type { MemcachedSettings } from "../components/engines/flux1/settings";
export type { FenceSettings, LimitSettings, NetworkSettings, QuotaSettings } from "../components/fence/settings";
export type { ClusterSettings, FleetSettings, RepoSettings, TeamSettings } from "../components/platform/settings";

/** Flux v1's settings; the engine owns their type. */
export type FluxSettings = FluxV1Settings;
/** The whole validated config: what the Platform is built from. */
export type PlatformConfig = PlatformSettings;
