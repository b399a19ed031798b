// The engines a stack can run, by the name stack config gives them, and how the platform core
// installs each once and binds it to a repo. The only file that lists the engines.
import { MirrorSettings } from "../shared/mirror";
import * as pulumi from "@pulumi/pulumi";
import { fluxV1Engine } from "../engines/flux1/engine";
import { FluxV1Settings, MemcachedSettings } from "../engines/flux1/settings";
import { fluxV2Engine } from "../engines/flux2/engine";
import { FluxV2Settings, FluxV2Shared } from "../engines/flux2/settings";
import { bindEngine, BoundEngine, EngineAdmission, EngineCluster, EngineName, TenantFootprint } from "../shared/engine";

export const engines = { flux1: fluxV1Engine, flux2: fluxV2Engine } as const;

/** The engine of one repo, with that repo's settings. */
export type RepoEngine =
    | { readonly name: "flux1"; readonly settings: FluxV1Settings }
    | { readonly name: "flux2"; readonly settings: FluxV2Settings };

/** What each engine in use installs once; an engine no repo uses is absent and not installed. */
export interface EngineInstalls {
    readonly flux1?: MemcachedSettings;
    readonly flux2?: FluxV2Shared;
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
export function installEngines(name: string, namespace: pulumi.Input<string>, installs: EngineInstalls, mirror: MirrorSettings,
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
export function tenantFootprintOf(engine: RepoEngine): TenantFootprint | undefined {
    switch (engine.name) {
        case "flux1": return engines.flux1.traits.tenantFootprint(engine.settings);
        case "flux2": return engines.flux2.traits.tenantFootprint(engine.settings);
    }
}

/** What the installed engines put in place once: the platform's removal guard holds them. */
export function installedParts(installed: InstalledEngines): pulumi.Resource[] {
    return [installed.flux1, installed.flux2].flatMap((cluster) => cluster?.parts ?? []);
}

/** What the TenantGuard must allow each installed engine. */
/**
 * What every engine the platform knows needs fenced, installed or not: a kind whose CRD is absent
 * is judged and counted at no cost, and installing an engine then changes no team's quota and no
 * policy.
 */
export function everyEngineAdmission(): EngineAdmission[] {
    return Object.values(engines).map((engine) => engine.traits.admission);
}

export function admissionOf(installed: InstalledEngines): EngineAdmission[] {
    return (Object.keys(installed) as EngineName[]).map((name) => engines[name].traits.admission);
}
