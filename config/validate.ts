// Turns the raw stack config into a PlatformConfig with defaults, or into the full list of what
// is wrong with it. Pure: it sees the config map and nothing else, so it is tested directly.
import {
    completeInstalls, defaultRepoEngine, engineImages, engines, forCluster, readEngines, RepoDefaults, RepoEngine, teamFootprintOf, withEngineSettings,
} from "../components/engines/registry";
import { ConfigValue, EngineConfig, EngineName } from "../components/shared/engine";
import { RawObject, readBoolean, readInteger, readObject, readString } from "../components/shared/settings/fields";
import { closest, Problems, show } from "../components/shared/settings/problems";
import { readFlagger, readTeamSlack, withTeamWebhooks } from "../components/addons/flagger/config";
import { addonConfigKeys } from "../components/addons/registry";
import { checkGithubProvider } from "./github";
import { checkNamespaces, checkProviderValues } from "./providerKeys";
import { readFleet, TeamEntry, teamEntries } from "./fleet";
import { checkMirroredImages, readMirror } from "./mirror";
import { checkIngressNamespaces, fenceKeys, readFence, readNetwork } from "./fence";
import * as rules from "./rules";
import { checkGithubToken, refuseSecretPlainKeys } from "./secretKeys";
import { ClusterSettings, FleetSettings, PlatformConfig, RepoSettings, SlackSettings, TeamSettings } from "./types";

const ns = "platform";
const engineNames = Object.keys(engines) as EngineName[];
/** An engine's config readers, whatever its settings' types (config only passes them on). */
const configOf = (name: EngineName): EngineConfig<unknown, unknown> => engines[name].config;
const titleOf = (name: EngineName): string => engines[name].title;
const enginePlatformKeys = [...new Set(engineNames.flatMap((name) => engines[name].config.platformKeys))];
export const platformKeys = ["engine", "fleet", "cluster", ...enginePlatformKeys, "network", "mirror", "teams", "teamOverrides", ...addonConfigKeys()];
const repoKeys = ["repo", "branch", "path", "create", "keyVersion"];
const clusterKeys = ["name", ...repoKeys, "engine"];
const teamKeys = ["name", ...repoKeys, "clusters", "engine", "flux", "slack", ...fenceKeys, "offboard"];

const maxKeyVersion = 1_000_000;

export const defaults = {
    engine: "flux1" as EngineName,
    cluster: { repo: "dev-cluster", branch: "master", path: "cluster", create: true, keyVersion: 1 },
    team: { branch: "master", path: "", create: true, keyVersion: 1, offboard: false },
} as const;

export type ValidationResult =
    /** `notices`: what the user should know of a valid config, such as an engine chosen by default. */
    | { readonly ok: true; readonly config: PlatformConfig; readonly notices: readonly string[] }
    | { readonly ok: false; readonly problems: readonly string[] };

/**
 * `raw` maps full keys (`platform:teams`, `github:owner`) to their values as Pulumi stores them;
 * `secretKeys` are those set with `--secret`.
 */
export function validateConfig(
    raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string> = new Set(),
): ValidationResult {
    const problems = new Problems();
    checkPlatformKeys(raw, problems);
    checkNamespaces(raw, ns, problems);
    checkProviderValues(raw, secretKeys, problems);
    checkGithubToken(raw, secretKeys, problems);
    checkGithubProvider(raw, secretKeys, problems);
    // Keys refused as secrets are not read further: no other check may quote them.
    const withheld = refuseSecretPlainKeys(raw, secretKeys, problems);
    const read = (key: string): unknown => withheld.has(`${ns}:${key}`) ? undefined : parsed(raw, key, problems);
    const readable = (...keys: string[]): boolean => keys.every((key) => !withheld.has(key));

    const githubOwner = readable("github:owner") ? readOwner(raw["github:owner"], problems) : "";
    const platformEngine = readable(`${ns}:engine`) ? readEngineName(`${ns}:engine`, raw[`${ns}:engine`], defaults.engine, problems) : defaults.engine;
    const rawCluster = read("cluster");
    const rawTeams = readable(`${ns}:teams`) ? read("teams") : [];
    const fleet = readable(`${ns}:cluster`) ? readFleet(read("fleet"), rawCluster, problems) : undefined;
    const entries = readable(`${ns}:teams`, `${ns}:teamOverrides`) ? teamEntries(rawTeams, fleet, read("teamOverrides"), problems) : [];
    // Which engines the repos run decides which engines' settings are read (and installed).
    const clusterEngine = engineOf(`${ns}:cluster`, rawCluster, platformEngine, problems);
    const teamEngines = entries.map(({ key, entry, problems: reported }) => engineOf(key, entry, platformEngine, reported));
    const clusterRepo = readCluster(rawCluster, fleet, problems);
    const used = new Set([clusterEngine, ...teamEngines]);
    const engineValue = (key: string): ConfigValue => ({ key: `${ns}:${key}`, value: read(key) });
    const engineSettings = readEngines(used, engineValue, problems);
    refuseUnusedEngineKeys(used, engineValue, problems);
    const clusterSettings: ClusterSettings = { ...clusterRepo, engine: defaultRepoEngine(clusterEngine, engineSettings.defaults) };
    const mirror = readMirror(read("mirror"), problems);
    checkMirroredImages(engineImages(engineSettings.installs, engineSettings.defaults).filter((image) => readable(image.key.split(".")[0])),
        mirror, problems);
    // A webhook is used by Flagger, and by an engine that reports a repo's failed syncs itself.
    const flagger = readFlagger(read("flagger"), raw, secretKeys, problems, reportsSyncs(clusterEngine));
    const rawNetwork = read("network");
    const network = readNetwork(`${ns}:network`, rawNetwork, problems);
    const indexedTeams = readable(`${ns}:teams`)
        ? readTeams(rawTeams, entries, teamEngines, engineSettings.defaults, flagger.slack, fleet, problems)
        : [];
    // Checks across keys quote values of each, so they run only when each may be quoted.
    if (readable(`${ns}:cluster`, `${ns}:teams`)) {
        checkUniqueRepos(clusterSettings, indexedTeams, problems);
    }
    const teams = (readable(`${ns}:teams`, `${ns}:flagger`)
        ? withTeamWebhooks(indexedTeams.map(({ team }) => team), flagger, raw, secretKeys, problems, teamEngines.some(reportsSyncs))
        : indexedTeams.map(({ team }) => team)
    ).map((team) => ({ ...team, engine: withRepoAlerts(team.engine, team.slack) }));
    const cluster = { ...clusterSettings, engine: withRepoAlerts(clusterSettings.engine, flagger.slack) };
    const engineInstalls = completeInstalls(engineSettings.installs, [cluster.engine, ...teams.map((team) => team.engine)], problems);
    if (readable(`${ns}:teams`, `${ns}:network`)) {
        checkIngressNamespaces(`${ns}:network`, rawNetwork, teams.map((t) => t.name), problems);
    }

    if (problems.all.length > 0) {
        return { ok: false, problems: problems.all };
    }
    const notices = raw[`${ns}:engine`] === undefined && defaultedRepos(rawCluster, rawTeams) ? [defaultEngineNotice] : [];
    return { ok: true, config: { githubOwner, ...(fleet ? { fleet } : {}), cluster, engines: engineInstalls, flagger, network, mirror, teams }, notices };
}

function checkPlatformKeys(raw: Readonly<Record<string, string>>, problems: Problems): void {
    for (const full of Object.keys(raw)) {
        const [space, key] = [full.slice(0, full.indexOf(":")), full.slice(full.indexOf(":") + 1)];
        if (space === ns && !platformKeys.includes(key)) {
            if (key === "offboard") {
                problems.add(full, misplacedOffboard("platform"));
                continue;
            }
            const guess = closest(key, platformKeys);
            const hint = guess ? `did you mean "${ns}:${guess}"? ` : "";
            problems.add(full, `unknown key; ${hint}(known keys: ${platformKeys.map((k) => `${ns}:${k}`).join(", ")})`);
        }
    }
}

function readOwner(value: string | undefined, problems: Problems): string {
    if (value === undefined || value === "") {
        problems.add("github:owner", "is not set: every repo is created under it; run `pulumi config set github:owner <org>`");
        return "";
    }
    return readString("github:owner", value, "", problems, rules.githubOwner);
}

// Structured config values reach the program as JSON text.
function parsed(raw: Readonly<Record<string, string>>, key: string, problems: Problems): unknown {
    const text = raw[`${ns}:${key}`];
    if (text === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(text);
    } catch {
        problems.add(`${ns}:${key}`, `must be structured config (an object or list), got ${show(text)}`);
        return undefined;
    }
}

function readCluster(value: unknown, fleet: FleetSettings | undefined, problems: Problems): RepoSettings {
    const key = `${ns}:cluster`;
    const obj = value === undefined ? {} : readObject(key, withoutOffboard(key, value, "cluster admins' repo", problems), clusterKeys, problems) ?? {};
    // Each cluster of a fleet has its own admins' repo, created by its own stack.
    return readRepo(key, obj, fleet ? { ...defaults.cluster, repo: `${fleet.cluster}-cluster` } : defaults.cluster, problems);
}

/**
 * `offboard` anywhere but on a team entry is said plainly, rather than as an unknown key: whoever
 * types it means to take something apart.
 */
function misplacedOffboard(what: string): string {
    return `is a team's key (platform:teams[i].offboard); the ${what} is not offboarded: to take the whole platform down, ` +
        "offboard every team, then run `pulumi destroy` (docs/operations.md, \"Tearing the platform down\")";
}

/** An object's keys but `offboard`, which is reported as misplaced. */
function withoutOffboard(key: string, value: unknown, what: string, problems: Problems): unknown {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !("offboard" in value)) {
        return value;
    }
    problems.add(`${key}.offboard`, misplacedOffboard(what));
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "offboard"));
}

const engineRule = (value: string) => (engineNames as string[]).includes(value)
    ? undefined
    : `is not an engine: use ${engineNames.map((name) => `${name} (${engines[name].title})`).join(" or ")}`;

function readEngineName(key: string, value: unknown, fallback: EngineName, problems: Problems): EngineName {
    return readString(key, value, fallback, problems, engineRule) as EngineName;
}

/** The engine an entry (the cluster's or a team's) names, or the platform's. */
export const defaultEngineNotice = `${ns}:engine is not set, so the cluster repo and each team that names no engine run ` +
    `${defaults.engine} (Flux v1, which reached end of life). For a new cluster choose Flux v2: ` +
    `\`pulumi config set ${ns}:engine flux2\`. To keep Flux v1 and end this notice: \`pulumi config set ${ns}:engine flux1\` ` +
    "(moving teams one at a time: docs/engines.md)";

/** Whether the cluster repo or any team takes its engine from `platform:engine`. */
function defaultedRepos(rawCluster: unknown, rawTeams: unknown): boolean {
    const names = (entry: unknown) => typeof entry === "object" && entry !== null && !Array.isArray(entry) && (entry as RawObject).engine !== undefined;
    return !names(rawCluster) || (Array.isArray(rawTeams) && rawTeams.some((team) => !names(team)));
}

function engineOf(key: string, entry: unknown, platformEngine: EngineName, problems: Problems): EngineName {
    const named = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? (entry as RawObject).engine : undefined;
    return readEngineName(`${key}.engine`, named, platformEngine, problems);
}

/** Refuses the keys of an engine no repo uses: nothing would read them. */
function refuseUnusedEngineKeys(used: ReadonlySet<EngineName>, value: (key: string) => ConfigValue, problems: Problems): void {
    for (const name of engineNames.filter((engine) => !used.has(engine))) {
        for (const key of configOf(name).platformKeys) {
            const set = value(key);
            if (set.value !== undefined) {
                problems.add(set.key, `is a ${titleOf(name)} setting, and no repo runs ${name}: nothing reads it ` +
                    `(${ns}:engine and each team's engine say which engines run)`);
            }
        }
    }
}

/** Whether an engine reports a repo's failed syncs to Slack itself (Flux v1 does not: only Flagger does). */
function reportsSyncs(name: EngineName): boolean {
    return configOf(name).withAlerts !== undefined;
}

/** A repo's engine settings with its Slack channel and webhook, when it has one and its engine reports. */
function withRepoAlerts(engine: RepoEngine, slack: SlackSettings): RepoEngine {
    const webhook = slack.webhook;
    return webhook === undefined ? engine : withEngineSettings(engine, (config, settings) =>
        config.withAlerts ? config.withAlerts(settings, { channel: slack.channel, webhook }) : settings);
}

function readRepo(key: string, obj: RawObject, fallback: RepoSettings, problems: Problems): RepoSettings {
    return {
        repo: readString(`${key}.repo`, obj.repo, fallback.repo, problems, rules.repoName),
        branch: readString(`${key}.branch`, obj.branch, fallback.branch, problems, rules.branchName),
        path: readString(`${key}.path`, obj.path, fallback.path, problems, rules.repoPath),
        create: readBoolean(`${key}.create`, obj.create, fallback.create, problems),
        keyVersion: readInteger(`${key}.keyVersion`, obj.keyVersion, fallback.keyVersion, problems, 1, maxKeyVersion),
    };
}

interface IndexedTeam {
    /** Where the team stands in the user's list, for error messages. */
    readonly index: number;
    readonly team: TeamSettings;
}

function readTeams(value: unknown, entries: readonly TeamEntry[], teamEngines: readonly EngineName[], engineDefaults: RepoDefaults,
    platformSlack: SlackSettings, fleet: FleetSettings | undefined, problems: Problems): IndexedTeam[] {
    const key = `${ns}:teams`;
    if (value === undefined) {
        problems.add(key, "is not set: list the teams, for example " +
            "`pulumi config set --path 'platform:teams[0].name' team1` (an empty list [] is allowed)");
        return [];
    }
    if (!Array.isArray(value)) {
        problems.add(key, `must be a list of teams, got ${show(value)}`);
        return [];
    }
    const teams: IndexedTeam[] = [];
    const seen = new Map<string, number>();
    entries.forEach(({ index: i, entry, problems: reported }, at) => {
        const team = readTeam(`${key}[${i}]`, entry, defaultRepoEngine(teamEngines[at], engineDefaults), platformSlack, fleet, reported);
        if (!team) {
            return;
        }
        const first = seen.get(team.name);
        if (first !== undefined) {
            problems.add(`${key}[${i}].name`, `"${team.name}" is already the name of ${key}[${first}]: team names must be unique`);
            return;
        }
        seen.set(team.name, i);
        teams.push({ index: i, team });
    });
    return teams;
}

function readTeam(
    key: string, entry: unknown, engineDefaults: RepoEngine, platformSlack: SlackSettings, fleet: FleetSettings | undefined,
    problems: Problems,
): TeamSettings | undefined {
    const obj = readObject(key, entry, teamKeys, problems);
    if (!obj) {
        return undefined;
    }
    if (obj.name === undefined) {
        problems.add(`${key}.name`, "is missing: every team needs a name");
        return undefined;
    }
    const before = problems.all.length;
    const name = readString(`${key}.name`, obj.name, "", problems, rules.teamName);
    if (problems.all.length > before) {
        return undefined;
    }
    // In a fleet only the owner's stack creates a team's repo; the others register their key on it.
    const owns = !fleet || fleet.owner === fleet.cluster;
    const shared = readRepo(key, obj, { ...defaults.team, repo: `dev-${name}`, create: owns }, problems);
    if (!owns && shared.create) {
        problems.add(`${key}.create`, `is true, but the team's repo is created by the stack of ${fleet.owner} (${ns}:fleet.owner); ` +
            "this cluster registers its own deploy key on it");
    }
    // Each cluster of a fleet syncs its own folder, so a change reaches production by a merge.
    const folder = (cluster: string) => shared.path === "" ? cluster : `${shared.path}/${cluster}`;
    const repo = fleet ? { ...shared, create: owns && shared.create, path: folder(fleet.cluster) } : shared;
    const read = readTeamEngine({ key: `${key}.flux`, value: obj.flux }, engineDefaults, { name }, problems);
    const engine = fleet ? forCluster(read, fleet.cluster) : read;
    return {
        name, ...repo,
        layoutPaths: fleet ? fleet.clusters.map(folder) : [repo.path],
        engine,
        slack: readTeamSlack(`${key}.slack`, obj.slack, platformSlack, problems),
        fence: readFence(key, obj, teamFootprintOf(engine), problems),
        offboard: readBoolean(`${key}.offboard`, obj.offboard, defaults.team.offboard, problems),
    };
}

/**
 * A team's `flux` object, read by the team's engine. A key only another engine knows is named as
 * that engine's, so a team moving between engines learns which settings to drop or rename.
 */
function readTeamEngine(value: ConfigValue, engineDefaults: RepoEngine, team: { readonly name: string }, problems: Problems): RepoEngine {
    const name = engineDefaults.name;
    const own = configOf(name);
    if (typeof value.value === "object" && value.value !== null && !Array.isArray(value.value)) {
        const foreign = Object.keys(value.value).filter((k) => !own.teamKeys.includes(k) &&
            engineNames.some((other) => other !== name && configOf(other).teamKeys.includes(k)));
        if (foreign.length > 0) {
            for (const k of foreign) {
                const owner = engineNames.find((other) => other !== name && configOf(other).teamKeys.includes(k))!;
                problems.add(`${value.key}.${k}`, `is a ${titleOf(owner)} setting, but this team runs ${name} ` +
                    `(${titleOf(name)}), which reads ${own.teamKeys.join(", ")}`);
            }
            const rest = Object.fromEntries(Object.entries(value.value).filter(([k]) => !foreign.includes(k)));
            return withEngineSettings(engineDefaults, (config, defaults) => config.readTeam({ key: value.key, value: rest }, defaults, team, problems));
        }
    }
    return withEngineSettings(engineDefaults, (config, defaults) => config.readTeam(value, defaults, team, problems));
}

// GitHub repo names are case-insensitive, so Dev-Team1 and dev-team1 are the same repo.
function checkUniqueRepos(cluster: RepoSettings, teams: readonly IndexedTeam[], problems: Problems): void {
    const owners = new Map<string, string>([[cluster.repo.toLowerCase(), `${ns}:cluster.repo`]]);
    teams.forEach(({ index, team }) => {
        const key = `${ns}:teams[${index}].repo`;
        const holder = owners.get(team.repo.toLowerCase());
        if (holder) {
            problems.add(key, `"${team.repo}" is already the repo of ${holder}: every Flux instance needs its own repo`);
        } else {
            owners.set(team.repo.toLowerCase(), key);
        }
    });
}
