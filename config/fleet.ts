// A fleet: several clusters, one stack each, sharing one team list (`platform:teams` and
// `platform:fleet` in Pulumi.yaml's project config, which every stack reads). Read here: which
// cluster this stack is, which stack creates the teams' repos, and this cluster's view of the
// list (its teams, each with this stack's `platform:teamOverrides`). Guide: docs/clusters.md.
import { RawObject, readObject, readString } from "../components/shared/settings/fields";
import { closest, Problems, show } from "../components/shared/settings/problems";
import { FleetSettings } from "./types";

const ns = "platform";
const fleetKeys = ["clusters", "owner"];
/** What every cluster shares and no stack overrides: the team, its one repo, and where it runs. */
const sharedTeamKeys = ["name", "repo", "create", "clusters"];
const clusterName = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

const clusterRule = (value: string) => clusterName.test(value)
    ? undefined
    : "is not a cluster name: lowercase letters, digits and '-', at most 40 characters (it names a folder of " +
        "each team's repo and the cluster's own repo)";

/** A team entry as this cluster reads it, with the key its problems are reported under. */
export interface TeamEntry {
    /** `platform:teams[i]`. */
    readonly key: string;
    readonly index: number;
    /** The shared entry with this stack's override merged in. */
    readonly entry: unknown;
    /** Reports a problem under the key the user wrote the value at (the shared list or the override). */
    readonly problems: Problems;
}

/**
 * `platform:fleet` and this stack's `platform:cluster.name`; undefined for a stack that is a
 * cluster of its own (neither set).
 */
export function readFleet(rawFleet: unknown, rawCluster: unknown, problems: Problems): FleetSettings | undefined {
    const key = `${ns}:fleet`;
    const named = isObject(rawCluster) ? rawCluster.name : undefined;
    if (rawFleet === undefined) {
        if (named !== undefined) {
            problems.add(`${ns}:cluster.name`, `names a cluster of a fleet, but ${key} is not set: list the fleet's ` +
                `clusters in Pulumi.yaml (docs/clusters.md), or remove ${ns}:cluster.name`);
        }
        return undefined;
    }
    const obj = readObject(key, rawFleet, fleetKeys, problems);
    if (!obj) return undefined;
    const before = problems.all.length;
    const clusters = readClusters(`${key}.clusters`, obj.clusters, problems);
    if (clusters.length === 0 && obj.clusters !== undefined && problems.all.length === before) {
        problems.add(`${key}.clusters`, "is empty: list the fleet's clusters, one stack each");
    } else if (obj.clusters === undefined) {
        problems.add(`${key}.clusters`, "is not set: list the fleet's clusters, for example [staging, production]");
    }
    const owner = readString(`${key}.owner`, obj.owner, clusters[0] ?? "", problems, clusterRule);
    if (clusters.length > 0 && !clusters.includes(owner)) {
        problems.add(`${key}.owner`, `"${owner}" is not one of ${key}.clusters (${clusters.join(", ")})`);
    }
    if (named === undefined) {
        problems.add(`${ns}:cluster.name`, `is not set: a stack of the fleet says which cluster it is ` +
            `(\`pulumi config set --path ${ns}:cluster.name <${clusters.join("|") || "name"}>\`)`);
        return undefined;
    }
    const cluster = readString(`${ns}:cluster.name`, named, "", problems, clusterRule);
    if (clusters.length > 0 && cluster !== "" && !clusters.includes(cluster)) {
        const guess = closest(cluster, clusters);
        problems.add(`${ns}:cluster.name`, `"${cluster}" is not one of ${key}.clusters (${clusters.join(", ")})` +
            (guess ? `; did you mean "${guess}"?` : ""));
    }
    return problems.all.length > before ? undefined : { cluster, clusters, owner };
}

function readClusters(key: string, value: unknown, problems: Problems): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
        problems.add(key, `must be a list of cluster names, got ${show(value)}`);
        return [];
    }
    const names: string[] = [];
    value.forEach((item, i) => {
        const name = readString(`${key}[${i}]`, item, "", problems, clusterRule);
        if (name === "") return;
        if (names.includes(name)) {
            problems.add(`${key}[${i}]`, `"${name}" is listed twice`);
            return;
        }
        names.push(name);
    });
    return names;
}

/**
 * The teams this cluster runs, in list order: every entry outside a fleet; in a fleet, those whose
 * `clusters` name this cluster (all when unset), with this stack's override merged in. Problems of
 * `platform:teams` itself (unset, not a list) are readTeams'.
 */
export function teamEntries(rawTeams: unknown, fleet: FleetSettings | undefined, rawOverrides: unknown,
    problems: Problems): TeamEntry[] {
    const listed = Array.isArray(rawTeams) ? rawTeams : [];
    const overrides = readOverrides(rawOverrides, fleet, listed, problems);
    const entries: TeamEntry[] = [];
    listed.forEach((entry, index) => {
        const key = `${ns}:teams[${index}]`;
        if (!isObject(entry)) {
            entries.push({ key, index, entry, problems });
            return;
        }
        if (!onCluster(key, entry, fleet, problems)) return;
        const name = typeof entry.name === "string" ? entry.name : undefined;
        const override = name === undefined ? undefined : overrides.get(name);
        entries.push(override === undefined
            ? { key, index, entry, problems }
            : { key, index, entry: merged(entry, override), problems: new OverrideProblems(problems, key, `${ns}:teamOverrides.${name}`, override) });
    });
    return entries;
}

/** Whether a fleet's team entry runs on this cluster; its `clusters` checked, and refused outside a fleet. */
function onCluster(key: string, entry: RawObject, fleet: FleetSettings | undefined, problems: Problems): boolean {
    if (entry.clusters === undefined) return true;
    if (!fleet) {
        problems.add(`${key}.clusters`, `is for a fleet's teams: ${ns}:fleet is not set (docs/clusters.md)`);
        return true;
    }
    const clusters = readClusters(`${key}.clusters`, entry.clusters, problems);
    clusters.forEach((name, i) => {
        if (!fleet.clusters.includes(name)) {
            problems.add(`${key}.clusters[${i}]`, `"${name}" is not one of ${ns}:fleet.clusters (${fleet.clusters.join(", ")})`);
        }
    });
    // The owner's stack creates the team's repo: a team it does not run would have none.
    if (!clusters.includes(fleet.owner) && entry.create !== false) {
        problems.add(`${key}.clusters`, `leaves out ${fleet.owner}, whose stack creates every team's repo (${ns}:fleet.owner): ` +
            `include it, or set create: false on the entry and create the repo yourself`);
    }
    return clusters.includes(fleet.cluster);
}

/** `platform:teamOverrides`: by team name, what this cluster sets differently; refused outside a fleet. */
function readOverrides(value: unknown, fleet: FleetSettings | undefined, listed: readonly unknown[],
    problems: Problems): Map<string, RawObject> {
    const key = `${ns}:teamOverrides`;
    const overrides = new Map<string, RawObject>();
    if (value === undefined) return overrides;
    if (!fleet) {
        problems.add(key, `is for a stack of a fleet, whose team list is shared: ${ns}:fleet is not set; ` +
            `without a fleet, change the team's entry in ${ns}:teams`);
        return overrides;
    }
    if (!isObject(value)) {
        problems.add(key, `must be an object of team name to settings, got ${show(value)}`);
        return overrides;
    }
    const names = listed.filter(isObject).map((entry) => entry.name).filter((name): name is string => typeof name === "string");
    for (const [name, override] of Object.entries(value)) {
        if (!names.includes(name)) {
            const guess = closest(name, names);
            problems.add(`${key}.${name}`, `is not a team of ${ns}:teams${guess ? `; did you mean "${guess}"?` : ""}`);
            continue;
        }
        if (!isObject(override)) {
            problems.add(`${key}.${name}`, `must be an object of the team's settings, got ${show(override)}`);
            continue;
        }
        const shared = Object.keys(override).filter((k) => sharedTeamKeys.includes(k));
        shared.forEach((k) => problems.add(`${key}.${name}.${k}`, `is the same on every cluster: set it on the team's entry in ${ns}:teams`));
        overrides.set(name, Object.fromEntries(Object.entries(override).filter(([k]) => !shared.includes(k))));
    }
    return overrides;
}

/** `override` over `base`: objects merged key by key, anything else (lists included) replaced. */
function merged(base: RawObject, override: RawObject): RawObject {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
        out[k] = isObject(v) && isObject(base[k]) ? merged(base[k], v) : v;
    }
    return out;
}

/** Reports each problem under the key of the value that caused it: the override's, or the shared entry's. */
class OverrideProblems extends Problems {
    constructor(private readonly inner: Problems, private readonly entryKey: string, private readonly overrideKey: string,
        private readonly override: RawObject) {
        super();
    }

    add(key: string, message: string): void {
        this.inner.add(this.origin(key), message);
    }

    get all(): readonly string[] {
        return this.inner.all;
    }

    private origin(key: string): string {
        if (!key.startsWith(`${this.entryKey}.`)) return key;
        const rest = key.slice(this.entryKey.length + 1);
        let at: unknown = this.override;
        for (const segment of rest.split(".").map((s) => s.replace(/\[\d+\]$/, ""))) {
            if (!isObject(at) || !(segment in at)) return key;
            at = at[segment];
            if (!isObject(at)) break;
        }
        return `${this.overrideKey}.${rest}`;
    }
}

function isObject(value: unknown): value is RawObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
