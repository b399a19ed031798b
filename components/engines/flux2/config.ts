// Flux v2's settings in stack config: `platform:flux2` (the release, the operator, the shared
// controllers, and the interval and timeout of every repo that says nothing else) and a Flux v2
// team's `flux` object (its interval and timeout, image automation, dedicated controllers).
import { ConfigValue, EngineConfig } from "../../shared/engine";
import { RawObject, readBoolean, readObject, readQuantity, readString, readStringList, Rule } from "../../shared/settings/fields";
import { goDuration } from "../../shared/settings/goDuration";
import { Problems, show } from "../../shared/settings/problems";
import { bytes, bytesQuantity, cores, cpuQuantity } from "../../shared/settings/quantity";
import { fluxV2Releases } from "../../shared/versions";
import {
    ContainerResources, FluxControllerSize, FluxControllerSizing, FluxV2Settings, FluxV2Install, FluxV2Variant, fluxV2Defaults, fluxV2ReleaseOf,
    fluxV2Variants, knownRegistries,
} from "./settings";

const platformKeys = ["version", "registry", "variant", "operatorVersion", "controllers", "helmController", "networkPolicy", "webUi", "interval", "timeout", "retiredShards"];
const teamKeys = ["interval", "timeout", "imageAutomation", "dedicatedControllers"];
const sizes: readonly FluxControllerSize[] = ["small", "medium", "large"];

// The CRDs' pattern for the durations the platform sets, which the controllers then read as Go
// durations (docs/upstream.md, "The objects a sync creates").
const crdDuration = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const goRule = goDuration("Flux's controllers");
const duration: Rule<string> = (value) => crdDuration.test(value)
    ? goRule(value)
    : "is not a duration Flux's API takes: digits with ms, s, m or h, for example 30s, 5m or 1h30m";

const release: Rule<string> = (value) => fluxV2ReleaseOf(value)
    ? undefined
    : "is not a Flux release this platform's Flux Operator installs: pin an exact one of " +
      fluxV2Releases.map((r) => `${r.minor}.0 to ${r.newestPatch} (Kubernetes ${r.kubernetes.oldest} to ${r.kubernetes.newest})`).join(", ") +
      (fluxV2Releases.some((r) => r.notCarried.length > 0)
          ? `, but not ${fluxV2Releases.flatMap((r) => r.notCarried).join(", ")}` : "");

/**
 * The oldest operator a stack may pin: older ones hand a team's ResourceSet `readyExpr` the data
 * of a Secret in any namespace (docs/upstream.md, "Status, references and templates the operator
 * and controllers act on").
 */
export const oldestOperatorVersion = "0.57.0";

const olderThan = (a: string, b: string) => {
    const [x, y] = [a, b].map((v) => v.split(".").map(Number));
    return x[0] !== y[0] ? x[0] < y[0] : x[1] !== y[1] ? x[1] < y[1] : x[2] < y[2];
};

const chartVersion: Rule<string> = (value) => !/^\d+\.\d+\.\d+$/.test(value)
    ? "is not an exact chart version such as 0.58.1 (the operator is pinned, never a range)"
    : olderThan(value, oldestOperatorVersion)
        ? `is older than ${oldestOperatorVersion}: older operators let a team's ResourceSet read any namespace's Secrets`
        : undefined;

const registry: Rule<string> = (value) => /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(value)
    ? undefined
    : "is not a container registry such as ghcr.io/fluxcd";

/**
 * The longest shard name: a shard's controllers are `<controller>-<shard>` (docs/upstream.md,
 * "Shards"), and a name that is also a label value may have 63 characters.
 */
const longestShardName = 63 - "image-automation-controller-".length;

// A shard is named after its team: a DNS-1123 label short enough for `<controller>-<shard>`.
const shardName: Rule<string> = (value) => value.length <= longestShardName && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)
    ? undefined : `is not a team's shard: a team name of at most ${longestShardName} characters`;

/**
 * `retiredShards`: the dedicated controllers of teams whose entries were removed, kept running for
 * the `up` that deletes the team's namespace, whose Flux objects only they finalize (the shared
 * controllers ignore shard-labelled objects), and removed by the `up` after, when the name leaves
 * this list (docs/operations.md, "Offboarding a team").
 */
function readRetiredShards(key: string, value: unknown, problems: Problems): string[] {
    const names = readStringList(key, value, problems, shardName);
    names.filter((name, i) => names.indexOf(name) !== i).forEach((name) => problems.add(key, `lists ${show(name)} twice`));
    return [...new Set(names)];
}

function readResources(key: string, value: unknown, fallback: ContainerResources, problems: Problems): ContainerResources {
    // Compared only when every value read, so a malformed quantity is reported once, not again as a mismatch.
    const before = problems.all.length;
    const obj = readObject(key, value, ["requests", "limits"], problems) ?? {};
    const requests = obj.requests === undefined ? {} : readObject(`${key}.requests`, obj.requests, ["cpu", "memory"], problems) ?? {};
    const limits = obj.limits === undefined ? {} : readObject(`${key}.limits`, obj.limits, ["cpu", "memory"], problems) ?? {};
    const read = {
        requests: {
            cpu: readQuantity(`${key}.requests.cpu`, requests.cpu, fallback.requests.cpu, problems, cpuQuantity),
            memory: readQuantity(`${key}.requests.memory`, requests.memory, fallback.requests.memory, problems, bytesQuantity),
        },
        limits: {
            ...(limits.cpu === undefined && fallback.limits.cpu === undefined ? {}
                : { cpu: readQuantity(`${key}.limits.cpu`, limits.cpu, fallback.limits.cpu ?? "", problems, cpuQuantity) }),
            memory: readQuantity(`${key}.limits.memory`, limits.memory, fallback.limits.memory, problems, bytesQuantity),
        },
    };
    if (problems.all.length === before && bytes(read.requests.memory) > bytes(read.limits.memory)) {
        problems.add(`${key}.requests.memory`, `${show(read.requests.memory)} is more than limits.memory (${read.limits.memory})`);
    }
    if (problems.all.length === before && read.limits.cpu !== undefined && cores(read.requests.cpu) > cores(read.limits.cpu)) {
        problems.add(`${key}.requests.cpu`, `${show(read.requests.cpu)} is more than limits.cpu (${read.limits.cpu})`);
    }
    return read;
}

function readControllers(key: string, value: unknown, problems: Problems): FluxControllerSizing {
    if (value === undefined) {
        return fluxV2Defaults.install.controllers;
    }
    const obj = readObject(key, value, ["size", "resources"], problems) ?? {};
    if (obj.size !== undefined && obj.resources !== undefined) {
        problems.add(key, "sets both size and resources: give one of the operator's sizes, or explicit resources");
    }
    if (obj.resources !== undefined) {
        return { resources: readResources(`${key}.resources`, obj.resources, fluxV2Defaults.shardResources, problems) };
    }
    const sizeRule: Rule<string> = (size) => sizes.includes(size as FluxControllerSize)
        ? undefined : `is not one of the operator's sizes: ${sizes.join(", ")}`;
    return { size: readString(`${key}.size`, obj.size, "small", problems, sizeRule) as FluxControllerSize };
}

// A Secret's name: a DNS-1123 subdomain, as Kubernetes validates it (IsDNS1123Subdomain).
const secretName: Rule<string> = (value) => value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)
    ? undefined : "is not a Secret name (lower-case letters, digits, '-' and '.', at most 253)";

/**
 * `webUi`: false or absent, the operator's web UI is off; `{ configSecretName }`, on, configured by
 * that Secret's Web Config API, which must give it authentication (the platform cannot read it).
 */
function readWebUi(key: string, value: unknown, problems: Problems): FluxV2Install["webUi"] {
    if (value === undefined || value === false) {
        return undefined;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.add(key, `must be false, or { configSecretName } naming the Secret that configures the web UI's authentication, got ${show(value)}`);
        return undefined;
    }
    const obj = readObject(key, value, ["configSecretName"], problems) ?? {};
    if (obj.configSecretName === undefined) {
        problems.add(`${key}.configSecretName`, "is required: without authentication the web UI answers anyone with the operator's cluster-admin account");
        return undefined;
    }
    return { configSecretName: readString(`${key}.configSecretName`, obj.configSecretName, "", problems, secretName) };
}

/** The images' variant: required for a registry the operator does not know, or it drops the digests. */
function readVariant(key: string, value: unknown, imageRegistry: string, problems: Problems): FluxV2Variant | undefined {
    if (value === undefined) {
        if (!knownRegistries.includes(imageRegistry.replace(/\/$/, ""))) {
            problems.add(key, `is required with a registry of your own (${imageRegistry}): one of ${fluxV2Variants.join(", ")}, the build the ` +
                "registry mirrors (upstream-alpine for a mirror of ghcr.io/fluxcd); without it the operator runs the images by tag, not by digest");
        }
        return undefined;
    }
    return readString(key, value, "", problems, (v) => (fluxV2Variants as readonly string[]).includes(v)
        ? undefined : `is not a build of the Flux images: one of ${fluxV2Variants.join(", ")}`) as FluxV2Variant;
}

function readPlatformFlux2({ key, value }: ConfigValue, problems: Problems) {
    const obj: RawObject = value === undefined ? {} : readObject(key, value, platformKeys, problems) ?? {};
    const d = fluxV2Defaults;
    // On in every stack, mixed ones too: the platform's own policy in the system namespace admits
    // the Flux v1 fluxds to the shared memcached there (components/fence/systemNetwork.ts).
    const networkPolicy = readBoolean(`${key}.networkPolicy`, obj.networkPolicy, d.install.networkPolicy, problems);
    const webUi = readWebUi(`${key}.webUi`, obj.webUi, problems);
    const imageRegistry = readString(`${key}.registry`, obj.registry, d.install.registry, problems, registry);
    const variant = readVariant(`${key}.variant`, obj.variant, imageRegistry, problems);
    const install: FluxV2Install = {
        ...d.install,
        version: readString(`${key}.version`, obj.version, d.install.version, problems, release),
        registry: imageRegistry,
        ...(variant ? { variant } : {}),
        operatorChartVersion: readString(`${key}.operatorVersion`, obj.operatorVersion, d.install.operatorChartVersion, problems, chartVersion),
        controllers: readControllers(`${key}.controllers`, obj.controllers, problems),
        helmController: readBoolean(`${key}.helmController`, obj.helmController, d.install.helmController, problems),
        networkPolicy,
        ...(webUi ? { webUi } : {}),
        retiredShards: readRetiredShards(`${key}.retiredShards`, obj.retiredShards, problems),
    };
    const defaults: FluxV2Settings = {
        interval: readString(`${key}.interval`, obj.interval, d.repo.interval, problems, duration),
        timeout: readString(`${key}.timeout`, obj.timeout, d.repo.timeout, problems, duration),
        imageAutomation: false,
    };
    return { install, defaults };
}

/** Flux v2's part of the stack config: the keys it reads, and how each is validated. */
export const fluxV2Config: EngineConfig<FluxV2Install, FluxV2Settings> = {
    platformKeys: ["flux2"],
    plainBecause: { flux2: "its release, registry, sizes and intervals are the FluxInstance's and the Flux objects' fields" },
    readPlatform: (value, _inUse, problems) => readPlatformFlux2(value("flux2"), problems),
    images: (install) => [{ key: "platform:flux2.registry", image: install.registry, also: "and platform:flux2.variant to the build it mirrors" }],
    teamKeys,
    readTeam: ({ key, value }, defaults, team, problems) => {
        const obj = value === undefined ? {} : readObject(key, value, teamKeys, problems) ?? {};
        const dedicated = obj.dedicatedControllers;
        let dedicatedControllers: FluxV2Settings["dedicatedControllers"];
        if (dedicated === true || (typeof dedicated === "object" && dedicated !== null && !Array.isArray(dedicated))) {
            if (team.name.length > longestShardName) {
                problems.add(`${key}.dedicatedControllers`, `needs a team name of at most ${longestShardName} characters: ` +
                    `the operator names the team's controllers <controller>-${team.name}, at most 63`);
            }
            dedicatedControllers = {
                name: team.name,
                resources: dedicated === true ? fluxV2Defaults.shardResources
                    : readResources(`${key}.dedicatedControllers`, dedicated, fluxV2Defaults.shardResources, problems),
            };
        } else if (dedicated !== undefined && dedicated !== false) {
            problems.add(`${key}.dedicatedControllers`, `must be true, false, or the controllers' resources ({ requests, limits }), got ${show(dedicated)}`);
        }
        return {
            interval: readString(`${key}.interval`, obj.interval, defaults.interval, problems, duration),
            timeout: readString(`${key}.timeout`, obj.timeout, defaults.timeout, problems, duration),
            imageAutomation: readBoolean(`${key}.imageAutomation`, obj.imageAutomation, defaults.imageAutomation, problems),
            ...(dedicatedControllers ? { dedicatedControllers } : {}),
        };
    },
    withAlerts: (settings, alerts) => ({ ...settings, alerts }),
    completeInstall: (install, repos, problems) => {
        const teams = repos.flatMap((repo) => repo.dedicatedControllers ? [repo.dedicatedControllers] : []);
        for (const name of install.retiredShards.filter((retired) => teams.some((shard) => shard.name === retired))) {
            problems.add("platform:flux2.retiredShards", `lists ${show(name)}, whose team still has dedicated controllers: ` +
                "a shard is retired in the same change that removes its team's entry");
        }
        return {
            ...install,
            imageAutomation: repos.some((repo) => repo.imageAutomation),
            // A retired shard's controllers run at the defaults: its team's own sizes left with its entry.
            shards: [...teams, ...install.retiredShards.filter((name) => !teams.some((shard) => shard.name === name))
                .map((name) => ({ name, resources: fluxV2Defaults.shardResources }))],
        };
    },
};
