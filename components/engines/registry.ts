// The engines a stack can run, by the name stack config gives them, and how the platform core
// installs each once and binds it to a repo. The only file that lists the engines.
import { MirrorSettings } from "../shared/mirror";
import * as pulumi from "@pulumi/pulumi";
import { fluxV1Engine } from "./flux1/engine";
import { FluxV1Settings, MemcachedSettings } from "./flux1/settings";
import { fluxV2Engine } from "./flux2/engine";
import { FluxV2Settings, FluxV2Install } from "./flux2/settings";
import { bindEngine, BoundEngine, ConfigValue, EngineAdmission, EngineCluster, EngineConfig, EngineName, SystemPeer, TeamFootprint } from "../shared/engine";
import { Problems } from "../shared/settings/problems";

export const engines = { flux1: fluxV1Engine, flux2: fluxV2Engine } as const;

/** The engine of one repo, with that repo's settings. */
export type RepoEngine =
    | { readonly name: "flux1"; readonly settings: FluxV1Settings }
    | { readonly name: "flux2"; readonly settings: FluxV2Settings };

/** What each engine in use installs once; an engine no repo uses is absent and not installed. */
export interface EngineInstallSettings {
    readonly flux1?: MemcachedSettings;
    readonly flux2?: FluxV2Install;
}

/** Each engine's settings for a repo that says nothing else, for the engines in use. */
export interface RepoDefaults {
    readonly flux1?: FluxV1Settings;
    readonly flux2?: FluxV2Settings;
}

/**
 * Each engine in use reads its platform keys: what it installs once, and its repos' defaults.
 * Per engine by name, so each keeps its settings' types.
 */
export function readEngines(used: ReadonlySet<EngineName>, value: (key: string) => ConfigValue, problems: Problems):
    { readonly installs: EngineInstallSettings; readonly defaults: RepoDefaults } {
    const flux1 = used.has("flux1") ? engines.flux1.config.readPlatform(value, used, problems) : undefined;
    const flux2 = used.has("flux2") ? engines.flux2.config.readPlatform(value, used, problems) : undefined;
    return {
        installs: { ...(flux1 ? { flux1: flux1.install } : {}), ...(flux2 ? { flux2: flux2.install } : {}) },
        defaults: { ...(flux1 ? { flux1: flux1.defaults } : {}), ...(flux2 ? { flux2: flux2.defaults } : {}) },
    };
}

/** What each engine installs once, completed from the settings of every repo it syncs. */
export function completeInstalls(installs: EngineInstallSettings, repos: readonly RepoEngine[], problems: Problems): EngineInstallSettings {
    const flux1 = repos.flatMap((repo) => repo.name === "flux1" ? [repo.settings] : []);
    const flux2 = repos.flatMap((repo) => repo.name === "flux2" ? [repo.settings] : []);
    const complete = <S, R>(config: EngineConfig<S, R>, install: S | undefined, settings: R[]) =>
        install !== undefined && config.completeInstall ? config.completeInstall(install, settings, problems) : install;
    const [one, two] = [complete(engines.flux1.config, installs.flux1, flux1), complete(engines.flux2.config, installs.flux2, flux2)];
    return { ...(one ? { flux1: one } : {}), ...(two ? { flux2: two } : {}) };
}

/** The images the engines in use run that config names, by the key that names each (EngineConfig.images). */
export function engineImages(installs: EngineInstallSettings, defaults: RepoDefaults): { readonly key: string; readonly image: string; readonly also?: string }[] {
    const of = <S, R>(config: EngineConfig<S, R>, install: S | undefined, settings: R | undefined) =>
        install !== undefined && settings !== undefined && config.images ? config.images(install, settings) : [];
    return [...of(engines.flux1.config, installs.flux1, defaults.flux1), ...of(engines.flux2.config, installs.flux2, defaults.flux2)];
}

/** The engine `name` with its repo defaults: the cluster repo's, and where a team's reading starts. */
export function defaultRepoEngine(name: EngineName, defaults: RepoDefaults): RepoEngine {
    switch (name) {
        case "flux1": return { name, settings: mustBeRead(defaults.flux1, name) };
        case "flux2": return { name, settings: mustBeRead(defaults.flux2, name) };
    }
}

/** A repo's engine as one cluster of a fleet syncs it (EngineConfig.forCluster). */
export function forCluster(engine: RepoEngine, cluster: string): RepoEngine {
    return withEngineSettings(engine, (config, settings) => config.forCluster ? config.forCluster(settings, cluster) : settings);
}

/** A repo's engine with its settings changed by that engine's own config, which keeps their type. */
export function withEngineSettings(engine: RepoEngine, change: <S>(config: EngineConfig<unknown, S>, settings: S) => S): RepoEngine {
    switch (engine.name) {
        case "flux1": return { name: "flux1", settings: change(engines.flux1.config, engine.settings) };
        case "flux2": return { name: "flux2", settings: change(engines.flux2.config, engine.settings) };
    }
}

function mustBeRead<T>(settings: T | undefined, name: EngineName): T {
    if (settings === undefined) {
        // Config reads every engine a repo names first; reaching here is a bug in the program, not in config.
        throw new Error(`the ${engines[name].title} engine's settings were not read, yet a repo runs it`);
    }
    return settings;
}

/** The typed handles of the engines installed. */
export interface InstalledEngines {
    readonly flux1?: EngineCluster<FluxV1Settings>;
    readonly flux2?: EngineCluster<FluxV2Settings>;
}

/**
 * Installs each engine in `installs` once, in the system namespace. Flux v1's parts keep the
 * names they had before engines had a contract (`${name}-memcached`, `${name}-flux-tenant-roles`),
 * so existing stacks keep their URNs.
 */
export function installEngines(name: string, namespace: pulumi.Input<string>, installs: EngineInstallSettings, mirror: MirrorSettings,
    opts: pulumi.CustomResourceOptions & pulumi.ComponentResourceOptions): InstalledEngines {
    return {
        ...(installs.flux1 ? { flux1: fluxV1Engine.install(name, { namespace, settings: installs.flux1, mirror }, opts) } : {}),
        ...(installs.flux2 ? { flux2: fluxV2Engine.install(name, { namespace, settings: installs.flux2, mirror }, opts) } : {}),
    };
}

/** A repo's engine, installed, with the repo's settings bound. */
export function bindRepoEngine(installed: InstalledEngines, engine: RepoEngine): BoundEngine {
    switch (engine.name) {
        case "flux1": return bindEngine(mustBeInstalled(installed.flux1, engine.name), engine.settings);
        case "flux2": return bindEngine(mustBeInstalled(installed.flux2, engine.name), engine.settings);
    }
}

function mustBeInstalled<T>(cluster: T | undefined, name: EngineName): T {
    if (!cluster) {
        // Config installs every engine a repo names; reaching here is a bug in the program, not in config.
        throw new Error(`the ${engines[name].title} engine is used by a repo but was not installed`);
    }
    return cluster;
}

/** What a repo's engine runs in a team's namespace, for its settings. */
export function teamFootprintOf(engine: RepoEngine): TeamFootprint | undefined {
    switch (engine.name) {
        case "flux1": return engines.flux1.traits.teamFootprint(engine.settings);
        case "flux2": return engines.flux2.traits.teamFootprint(engine.settings);
    }
}

/** What the installed engines' pods in team namespaces call in the system namespace (EngineCluster.systemPeers). */
export function systemPeersOf(installed: InstalledEngines): SystemPeer[] {
    return [installed.flux1, installed.flux2].flatMap((cluster) => cluster?.systemPeers ?? []);
}

/** What the installed engines put in place once: the platform's removal guard holds them. */
export function installedParts(installed: InstalledEngines): pulumi.Resource[] {
    return [installed.flux1, installed.flux2].flatMap((cluster) => cluster?.parts ?? []);
}

/**
 * What every engine the platform knows needs fenced, installed or not: a kind whose CRD is absent
 * is judged and counted at no cost, and installing an engine then changes no team's quota and no
 * policy.
 */
export function everyEngineAdmission(): EngineAdmission[] {
    return Object.values(engines).map((engine) => engine.traits.admission);
}

/** What the TeamGuard must allow each installed engine. */
export function admissionOf(installed: InstalledEngines): EngineAdmission[] {
    return (Object.keys(installed) as EngineName[]).map((name) => engines[name].traits.admission);
}
