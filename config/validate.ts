// Turns the raw stack config into a PlatformConfig with defaults, or into the full list of what
// is wrong with it. Pure: it sees the config map and nothing else, so it is tested directly.
import { fluxV1Image, memcachedImage } from "../components/shared/versions";
import { readFlagger, readTeamSlack, withTeamWebhooks } from "./flagger";
import { fluxArg } from "./fluxdFlags";
import { RawObject, readBoolean, readInteger, readObject, readString, readStringList } from "./fields";
import { checkIngressNamespaces, isolationKeys, readIsolation, readNetwork } from "./isolation";
import { closest, Problems, show } from "./problems";
import * as rules from "./rules";
import { checkGithubToken, refuseSecretPlainKeys } from "./secretKeys";
import { FluxSettings, MemcachedSettings, PlatformConfig, RepoSettings, SlackSettings, TeamSettings } from "./types";

const ns = "platform";
const platformKeys = ["cluster", "flux", "memcached", "network", "teams", "flagger", "slackWebhook", "teamSlackWebhooks"];
const repoKeys = ["repo", "branch", "path", "create", "keyVersion"];
const teamKeys = ["name", ...repoKeys, "flux", "slack", ...isolationKeys];
const teamFluxKeys = ["gitPollInterval", "syncInterval", "args"];

const maxKeyVersion = 1_000_000;

export const defaults = {
    cluster: { repo: "dev-cluster", branch: "master", path: "cluster", create: true, keyVersion: 1 },
    flux: { image: fluxV1Image, gitPollInterval: "5m", syncInterval: "5m", args: [] as string[] },
    memcached: { image: memcachedImage, maxMemoryMb: 512 },
    team: { branch: "master", path: "", create: true, keyVersion: 1 },
} as const;

export type ValidationResult =
    | { readonly ok: true; readonly config: PlatformConfig }
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
    checkGithubToken(raw, secretKeys, problems);
    // Keys refused as secrets are not read further: no other check may quote them.
    const withheld = refuseSecretPlainKeys(raw, secretKeys, problems);
    const read = (key: string): unknown => withheld.has(`${ns}:${key}`) ? undefined : parsed(raw, key, problems);
    const readable = (...keys: string[]): boolean => keys.every((key) => !withheld.has(key));

    const githubOwner = readable("github:owner") ? readOwner(raw["github:owner"], problems) : "";
    const cluster = readCluster(read("cluster"), problems);
    const flux = readFlux(read("flux"), problems);
    const memcached = readMemcached(read("memcached"), problems);
    const flagger = readFlagger(read("flagger"), raw, secretKeys, problems);
    const rawNetwork = read("network");
    const network = readNetwork(`${ns}:network`, rawNetwork, problems);
    const indexedTeams = readable(`${ns}:teams`) ? readTeams(read("teams"), flux, flagger.slack, problems) : [];
    // Checks across keys quote values of each, so they run only when each may be quoted.
    if (readable(`${ns}:cluster`, `${ns}:teams`)) {
        checkUniqueRepos(cluster, indexedTeams, problems);
    }
    const teams = readable(`${ns}:teams`, `${ns}:flagger`)
        ? withTeamWebhooks(indexedTeams.map(({ team }) => team), flagger, raw, secretKeys, problems)
        : indexedTeams.map(({ team }) => team);
    if (readable(`${ns}:teams`, `${ns}:network`)) {
        checkIngressNamespaces(`${ns}:network`, rawNetwork, teams.map((t) => t.name), problems);
    }

    if (problems.all.length > 0) {
        return { ok: false, problems: problems.all };
    }
    return { ok: true, config: { githubOwner, cluster, flux, memcached, flagger, network, teams } };
}

function checkPlatformKeys(raw: Readonly<Record<string, string>>, problems: Problems): void {
    for (const full of Object.keys(raw)) {
        const [space, key] = [full.slice(0, full.indexOf(":")), full.slice(full.indexOf(":") + 1)];
        if (space === ns && !platformKeys.includes(key)) {
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

function readCluster(value: unknown, problems: Problems): RepoSettings {
    const key = `${ns}:cluster`;
    const obj = value === undefined ? {} : readObject(key, value, repoKeys, problems) ?? {};
    return readRepo(key, obj, defaults.cluster, problems);
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

function readFlux(value: unknown, problems: Problems): FluxSettings {
    const key = `${ns}:flux`;
    const obj = value === undefined ? {} : readObject(key, value, ["image", "gitPollInterval", "syncInterval"], problems) ?? {};
    const d = defaults.flux;
    return {
        image: readString(`${key}.image`, obj.image, d.image, problems, rules.image),
        gitPollInterval: readString(`${key}.gitPollInterval`, obj.gitPollInterval, d.gitPollInterval, problems, rules.interval),
        syncInterval: readString(`${key}.syncInterval`, obj.syncInterval, d.syncInterval, problems, rules.interval),
        args: [],
    };
}

function readMemcached(value: unknown, problems: Problems): MemcachedSettings {
    const key = `${ns}:memcached`;
    const obj = value === undefined ? {} : readObject(key, value, ["image", "maxMemoryMb"], problems) ?? {};
    return {
        image: readString(`${key}.image`, obj.image, defaults.memcached.image, problems, rules.image),
        maxMemoryMb: readInteger(`${key}.maxMemoryMb`, obj.maxMemoryMb, defaults.memcached.maxMemoryMb, problems, 64, 65536),
    };
}

interface IndexedTeam {
    /** Where the team stands in the user's list, for error messages. */
    readonly index: number;
    readonly team: TeamSettings;
}

function readTeams(value: unknown, platformFlux: FluxSettings, platformSlack: SlackSettings, problems: Problems): IndexedTeam[] {
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
    value.forEach((entry, i) => {
        const team = readTeam(`${key}[${i}]`, entry, platformFlux, platformSlack, problems);
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
    key: string, entry: unknown, platformFlux: FluxSettings, platformSlack: SlackSettings, problems: Problems,
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
    const repo = readRepo(key, obj, { ...defaults.team, repo: `dev-${name}` }, problems);
    return {
        name, ...repo,
        flux: readTeamFlux(`${key}.flux`, obj.flux, platformFlux, problems),
        slack: readTeamSlack(`${key}.slack`, obj.slack, platformSlack, problems),
        isolation: readIsolation(key, obj, problems),
    };
}

function readTeamFlux(key: string, value: unknown, platformFlux: FluxSettings, problems: Problems): FluxSettings {
    const obj = value === undefined ? {} : readObject(key, value, teamFluxKeys, problems) ?? {};
    return {
        image: platformFlux.image,
        gitPollInterval: readString(`${key}.gitPollInterval`, obj.gitPollInterval, platformFlux.gitPollInterval, problems, rules.interval),
        syncInterval: readString(`${key}.syncInterval`, obj.syncInterval, platformFlux.syncInterval, problems, rules.interval),
        args: readStringList(`${key}.args`, obj.args, problems, fluxArg),
    };
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
