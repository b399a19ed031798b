// docs/configuration.md, the validator and the example stack state the same defaults: each row of
// the reference with a value for a default is what the validator fills in, and what Pulumi.dev.yaml
// shows where it shows the key (its team1 sets every team key to its default).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateConfig } from "../../config/validate";
import { PlatformConfig, TeamSettings } from "../../config/types";
import { stackFile } from "../kit/stackConfig";

interface Row {
    readonly key: string;
    readonly default: string;
}

function referenceRows(): Row[] {
    const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "configuration.md"), "utf8");
    return [...doc.matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)].map((m) => ({ key: m[1], default: m[2].trim() }));
}

/** The minimal config every default is read from: an owner and one team that sets nothing, on `engine`. */
function defaultsConfig(engine: string): PlatformConfig {
    const result = validateConfig({ "github:owner": "org", "platform:engine": engine, "platform:teams": JSON.stringify([{ name: "team1" }]) });
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    return result.config;
}

const team = (c: PlatformConfig): TeamSettings => c.teams[0];
const flux1 = (settings: { name: string; settings: unknown }) => settings.settings as Record<string, unknown>;
const flux2 = flux1;

/** Keys read only for Flux v2 repos: their defaults come from a stack that runs Flux v2. */
const flux2Keys = new Set(["platform:flux2.version", "platform:flux2.operatorVersion", "platform:flux2.registry", "platform:flux2.variant",
    "platform:flux2.controllers.size", "platform:flux2.controllers.resources", "platform:flux2.helmController",
    "platform:flux2.networkPolicy", "platform:flux2.webUi", "platform:flux2.interval", "platform:flux2.timeout", "platform:flux2.retiredShards", "platform:teams[i].flux.interval",
    "platform:teams[i].flux.timeout", "platform:teams[i].flux.imageAutomation", "platform:teams[i].flux.dedicatedControllers"]);

/** Where each documented key's value lands in the validated config. */
const valueOf: Readonly<Record<string, (c: PlatformConfig) => unknown>> = {
    "platform:flux2.version": (c) => c.engines.flux2?.version,
    "platform:flux2.operatorVersion": (c) => c.engines.flux2?.operatorChartVersion,
    "platform:flux2.registry": (c) => c.engines.flux2?.registry,
    "platform:flux2.variant": (c) => c.engines.flux2?.variant,
    "platform:flux2.controllers.size": (c) => (c.engines.flux2?.controllers as { size?: string } | undefined)?.size,
    "platform:flux2.controllers.resources": (c) => (c.engines.flux2?.controllers as { resources?: unknown } | undefined)?.resources,
    "platform:flux2.helmController": (c) => c.engines.flux2?.helmController,
    "platform:flux2.networkPolicy": (c) => c.engines.flux2?.networkPolicy,
    "platform:flux2.webUi": (c) => c.engines.flux2?.webUi,
    "platform:flux2.interval": (c) => flux2(c.cluster.engine).interval,
    "platform:flux2.timeout": (c) => flux2(c.cluster.engine).timeout,
    "platform:flux2.retiredShards": (c) => c.engines.flux2?.retiredShards,
    "platform:teams[i].flux.interval": (c) => flux2(team(c).engine).interval,
    "platform:teams[i].flux.timeout": (c) => flux2(team(c).engine).timeout,
    "platform:teams[i].flux.imageAutomation": (c) => flux2(team(c).engine).imageAutomation,
    "platform:teams[i].flux.dedicatedControllers": (c) => flux2(team(c).engine).dedicatedControllers ?? false,
    "platform:engine": (c) => c.cluster.engine.name,
    "platform:cluster.engine": (c) => c.cluster.engine.name,
    "platform:cluster.repo": (c) => c.cluster.repo,
    "platform:cluster.name": (c) => c.fleet?.cluster,
    "platform:fleet.clusters": (c) => c.fleet?.clusters,
    "platform:fleet.owner": (c) => c.fleet?.owner,
    "platform:cluster.branch": (c) => c.cluster.branch,
    "platform:cluster.path": (c) => c.cluster.path,
    "platform:cluster.create": (c) => c.cluster.create,
    "platform:cluster.keyVersion": (c) => c.cluster.keyVersion,
    "platform:flux.image": (c) => flux1(c.cluster.engine).image,
    "platform:flux.gitPollInterval": (c) => flux1(c.cluster.engine).gitPollInterval,
    "platform:flux.syncInterval": (c) => flux1(c.cluster.engine).syncInterval,
    "platform:memcached.image": (c) => c.engines.flux1?.image,
    "platform:memcached.maxMemoryMb": (c) => c.engines.flux1?.maxMemoryMb,
    "platform:network.ingressNamespaces": (c) => c.network.ingressNamespaces,
    "platform:mirror.registries": (c) => c.mirror.registries,
    "platform:mirror.charts": (c) => c.mirror.charts,
    "platform:teams[i].repo": (c) => team(c).repo,
    "platform:teams[i].branch": (c) => team(c).branch,
    "platform:teams[i].path": (c) => team(c).path,
    "platform:teams[i].create": (c) => team(c).create,
    "platform:teams[i].keyVersion": (c) => team(c).keyVersion,
    "platform:teams[i].offboard": (c) => team(c).offboard,
    "platform:teams[i].engine": (c) => team(c).engine.name,
    "platform:teams[i].flux.gitPollInterval": (c) => flux1(team(c).engine).gitPollInterval,
    "platform:teams[i].flux.syncInterval": (c) => flux1(team(c).engine).syncInterval,
    "platform:teams[i].flux.args": (c) => flux1(team(c).engine).args,
    "platform:teams[i].slack.channel": (c) => team(c).slack.channel,
    "platform:flagger.enabled": (c) => c.flagger.enabled,
    "platform:flagger.version": (c) => c.flagger.version,
    "platform:flagger.slack.channel": (c) => c.flagger.slack.channel,
    "platform:flagger.slack.user": (c) => c.flagger.slack.user,
    "platform:teams[i].podSecurity": (c) => team(c).fence.podSecurity,
    "platform:teams[i].policies.containerResources": (c) => team(c).fence.policies.containerResources,
    "platform:teams[i].quota.cpu": (c) => team(c).fence.quota.cpu,
    "platform:teams[i].quota.memory": (c) => team(c).fence.quota.memory,
    "platform:teams[i].quota.pods": (c) => team(c).fence.quota.pods,
    "platform:teams[i].quota.storage": (c) => team(c).fence.quota.storage,
    "platform:teams[i].quota.loadBalancers": (c) => team(c).fence.quota.loadBalancers,
    "platform:teams[i].quota.nodePorts": (c) => team(c).fence.quota.nodePorts,
    "platform:teams[i].quota.ephemeralStorage": (c) => team(c).fence.quota.ephemeralStorage,
    "platform:teams[i].quota.secrets": (c) => team(c).fence.quota.secrets,
    "platform:teams[i].quota.configMaps": (c) => team(c).fence.quota.configMaps,
    "platform:teams[i].quota.services": (c) => team(c).fence.quota.services,
    "platform:teams[i].quota.persistentVolumeClaims": (c) => team(c).fence.quota.persistentVolumeClaims,
    "platform:teams[i].quota.customResources": (c) => team(c).fence.quota.customResources,
    "platform:teams[i].limits.defaultRequest.cpu": (c) => team(c).fence.limits.defaultRequest.cpu,
    "platform:teams[i].limits.defaultRequest.memory": (c) => team(c).fence.limits.defaultRequest.memory,
    "platform:teams[i].limits.defaultRequest.ephemeralStorage": (c) => team(c).fence.limits.defaultRequest.ephemeralStorage,
    "platform:teams[i].limits.default.memory": (c) => team(c).fence.limits.default.memory,
    "platform:teams[i].limits.default.ephemeralStorage": (c) => team(c).fence.limits.default.ephemeralStorage,
    "platform:teams[i].limits.default.cpu": (c) => team(c).fence.limits.default.cpu,
};

/** Keys whose default is not a value: required, derived from another key, or absent. */
const notAValue = /^\((required|none)\)$|^none$|^`dev-<name>`$|^`platform:[\w.]+`$/;

/** A documented default as the value it stands for. */
function parseDefault(text: string): unknown {
    const literal = /^`(.*)`$/.exec(text)?.[1] ?? text;
    if (literal === '""') {
        return "";
    }
    try {
        return JSON.parse(literal);
    } catch {
        return literal;
    }
}

/**
 * The value the example stack gives `key`, or undefined: team keys from its first team on the
 * key's engine (team1 runs Flux v1, team3 Flux v2).
 */
function exampleValue(example: Record<string, unknown>, key: string): unknown {
    const [space, rest] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
    const teams = (example["platform:teams"] ?? []) as Array<{ engine?: string }>;
    const engineOf = (t: { engine?: string }) => t.engine ?? example["platform:engine"] ?? "flux1";
    // An engine's own team keys are shown by the first team of that engine; the rest by team1.
    const index = flux2Keys.has(key) ? teams.findIndex((t) => engineOf(t) === "flux2")
        : key.startsWith("platform:teams[i].flux.") ? teams.findIndex((t) => engineOf(t) === "flux1") : 0;
    if (index < 0) {
        return undefined;
    }
    const parts = rest.replace("teams[i]", `teams.${index}`).split(".");
    let value: unknown = example[`${space}:${parts[0]}`];
    for (const part of parts.slice(1)) {
        value = (value as Record<string, unknown> | undefined)?.[part];
    }
    return value;
}

describe("the configuration reference (docs/configuration.md)", () => {
    const rows = referenceRows();

    it("documents every key the validator reads, and only those", () => {
        // Lists and maps of entries, and a fleet's keys, which no single-cluster default shows.
        const documented = rows.map((row) => row.key).filter((key) => !["github:owner", "platform:teams", "platform:teams[i].name",
            "platform:slackWebhook", "platform:teamSlackWebhooks", "platform:teams[i].clusters", "platform:teamOverrides"].includes(key));
        assert.deepEqual([...documented].sort(), Object.keys(valueOf).sort());
    });

    it("states each default the validator fills in", () => {
        const configs = { flux1: defaultsConfig("flux1"), flux2: defaultsConfig("flux2") };
        const configFor = (key: string) => flux2Keys.has(key) ? configs.flux2 : configs.flux1;
        const wrong = rows.filter((row) => !notAValue.test(row.default) && row.key in valueOf)
            .filter((row) => JSON.stringify(valueOf[row.key](configFor(row.key))) !== JSON.stringify(parseDefault(row.default)))
            .map((row) => `${row.key}: documented ${row.default}, validator ${JSON.stringify(valueOf[row.key](configFor(row.key)))}`);
        assert.deepEqual(wrong, []);
        // Keys documented as having no default have none.
        assert.equal(valueOf["platform:teams[i].limits.default.cpu"](configs.flux1), undefined);
        assert.equal(valueOf["platform:flux2.controllers.resources"](configs.flux2), undefined);
    });

    // Pulumi.dev.yaml chooses the recommended engine, not the default one.
    for (const [stack, defaultsShownBy, chosen] of [
        ["migration", "team1 (Flux v1) and team3 (Flux v2)", []], ["dev", "team1 (Flux v2)", ["platform:engine"]],
    ] as const) {
        it(`agrees with Pulumi.${stack}.yaml wherever it shows a key, ${defaultsShownBy} showing every team default of their engine`, () => {
            const example = stackFile(stack);
            const wrong: string[] = [];
            for (const row of rows.filter((r) => !notAValue.test(r.default))) {
                const shown = exampleValue(example, row.key);
                if (shown !== undefined && !(chosen as readonly string[]).includes(row.key) && JSON.stringify(shown) !== JSON.stringify(parseDefault(row.default))) {
                    wrong.push(`${row.key}: documented ${row.default}, Pulumi.${stack}.yaml ${JSON.stringify(shown)}`);
                }
            }
            assert.deepEqual(wrong, []);
            const engines = new Set((example["platform:teams"] as { engine?: string }[]).map((t) => t.engine ?? example["platform:engine"] ?? "flux1"));
            const ofAnEngineShown = (key: string) => !key.startsWith("platform:teams[i].flux.") || engines.has(flux2Keys.has(key) ? "flux2" : "flux1");
            const teamKeys = rows.filter((r) => r.key.startsWith("platform:teams[i].") && !notAValue.test(r.default) &&
                !r.key.endsWith(".limits.default.cpu") && ofAnEngineShown(r.key));
            const missing = teamKeys.filter((r) => exampleValue(example, r.key) === undefined).map((r) => r.key);
            assert.deepEqual(missing, [], `${defaultsShownBy} of Pulumi.${stack}.yaml should show every team default`);
        });
    }
});
