// The template repositories new team repos are made from: one per distinct starting layout
// among the teams whose repos the program creates, made once for the stack (RepoTemplate).
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { InstalledAddon } from "../addons/registry";
import { AddonRepoFiles } from "../shared/addon";
import { RepoTemplate, RepoTemplateRef } from "../github/repoTemplate";
import { BoundEngine } from "../shared/engine";
import { TeamSettings } from "./settings";

/**
 * What decides a team repo's starting layout, and nothing else: no team name. Its engine and the
 * folders it starts with decide the engine's files; the add-ons' variants theirs (Flagger's example
 * Canary); the branch is the one the repo starts on.
 */
export interface TeamLayoutKey {
    readonly engine: BoundEngine["engine"];
    readonly branch: string;
    /** The synced path; in a fleet, each cluster's folder. */
    readonly paths: readonly string[];
    /**
     * The installed add-ons' variants of the files they add (AddonRepoFiles.variant), joined by
     * "+"; "none" when no add-on adds any. (Flagger's alone before add-ons had a contract: its
     * values name the templates of earlier versions.)
     */
    readonly addonFiles: string;
    /** A digest of the files this version writes for the engine and add-ons (layoutShape). */
    readonly shape: string;
    /** The fleet's owner cluster, whose stack alone makes the template; undefined outside a fleet. */
    readonly fleetOwner?: string;
}

/** What each installed add-on adds to a team's new repo. */
export function addonRepoFiles(addons: readonly InstalledAddon[], team: TeamSettings): AddonRepoFiles[] {
    return addons.flatMap((addon) => addon.teamRepo?.(team) ?? []);
}

export function teamLayoutKey(engine: BoundEngine, team: TeamSettings, addons: readonly AddonRepoFiles[], fleetOwner?: string): TeamLayoutKey {
    const addonFiles = addons.length === 0 ? "none" : addons.map((a) => a.variant).join("+");
    return {
        engine: engine.engine, branch: team.branch, paths: team.layoutPaths, addonFiles, shape: layoutShape(engine, addons),
        ...(fleetOwner ? { fleetOwner } : {}),
    };
}

type LayoutFiles = Pick<BoundEngine, "teamRepoFiles">;

/**
 * The files this version writes for an engine and add-ons, at the root and in a folder: the same
 * digest for every stack's folders, and a new one whenever a layout's files change.
 */
export function layoutShape(engine: LayoutFiles, addons: readonly AddonRepoFiles[]): string {
    const files = (path: string) => teamLayoutFiles(engine, addons, [path]);
    return sha256([files(""), files("folder")]).slice(0, 16);
}

/**
 * The layouts templates were named with before their names came from their files (by engine and
 * Flagger's example Canary: flux1, flux2 × none, platform-alerts, team-alerts). A template of one of these keeps its
 * name, so no stack's template is renamed by the change; any other layout names its files.
 */
const namedByParameters = new Set([
    "cfec0bc98477805b", "1f8a92b3d6801923", "e581619074717e67",
    "aef0ffbb526ebee6", "6ad28687423dfd9b", "64dbe20d2bb8956e",
]);

/** A team repo's starting files, in each folder: the engine's, then each add-on's. */
export function teamLayoutFiles(engine: LayoutFiles, addons: readonly AddonRepoFiles[], paths: readonly string[]): Record<string, string> {
    const files: Record<string, string> = {};
    for (const path of paths) {
        Object.assign(files, engine.teamRepoFiles(path), ...addons.map((addon) => addon.files(path)));
    }
    return files;
}

/**
 * The template's name on GitHub: the engine and a digest of the rest of the key, stable as long
 * as the key is (the files a later program writes do not rename it: a template's files are
 * written once, like a repo's). A stack of its own keeps the name it has had since before
 * fleets; a fleet's names its owner, so that no other stack in the organisation makes it.
 */
export function templateRepoName(key: TeamLayoutKey): string {
    if (key.fleetOwner === undefined && namedByParameters.has(key.shape)) {
        const digest = sha256([key.engine, key.branch, key.paths.length === 1 ? key.paths[0] : key.paths, key.addonFiles]);
        return `platform-template-${key.engine}-${digest.slice(0, 8)}`;
    }
    const digest = sha256([key.engine, key.branch, key.paths, key.addonFiles, key.shape]).slice(0, 8);
    return key.fleetOwner === undefined ? `platform-template-${key.engine}-${digest}` : `platform-template-${key.fleetOwner}-${key.engine}-${digest}`;
}

const sha256 = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export interface TeamTemplatesArgs {
    readonly owner: string;
    /** Every team, with its engine bound; only those whose repo the program creates need a template. */
    readonly teams: ReadonlyArray<{ readonly settings: TeamSettings; readonly engine: BoundEngine }>;
    /** The add-ons installed: each may add files to a new repo. */
    readonly addons: readonly InstalledAddon[];
    /** The fleet's owner cluster, when the stack is one cluster of a fleet. */
    readonly fleetOwner?: string;
}

/**
 * One RepoTemplate per distinct layout the created team repos need, named
 * `${name}-template-<engine>-<digest>` after its repo
 * and made with `opts`; returns each such team's template, by team name. Adopted repos
 * (`create: false`) need none and get none.
 */
export function teamTemplates(name: string, args: TeamTemplatesArgs, opts: pulumi.ComponentResourceOptions): Map<string, RepoTemplateRef> {
    const byRepo = new Map<string, RepoTemplateRef>();
    const byTeam = new Map<string, RepoTemplateRef>();
    for (const { settings, engine } of args.teams) {
        if (!settings.create) continue;
        const addons = addonRepoFiles(args.addons, settings);
        const key = teamLayoutKey(engine, settings, addons, args.fleetOwner);
        const repo = templateRepoName(key);
        let ref = byRepo.get(repo);
        if (!ref) {
            ref = new RepoTemplate(`${name}-${repo.replace(/^platform-/, "")}`, {
                owner: args.owner,
                repo,
                branch: key.branch,
                description: `Starting layout of new team repos (${engine.engine}, branch ${key.branch}, ` +
                    `${key.paths.length === 1 ? `path ${key.paths[0] === "" ? "the root" : key.paths[0]}` : `paths ${key.paths.join(", ")}`}); ` +
                    "made by the platform program, copied when it creates a team repo.",
                files: teamLayoutFiles(engine, addons, key.paths),
            }, opts).ref;
            byRepo.set(repo, ref);
        }
        byTeam.set(settings.name, ref);
    }
    return byTeam;
}
