// No part of a value set with `--secret` may appear in a problem, a log line, an export or a plain
// resource input. Each rule is tried with values set as secret through the program's real path
// (runProgram hands them to Pulumi's runtime config as secret keys) and through validateConfig.
import { addons } from "../../components/addons/registry";
import { platformKeys } from "../../config/validate";
import { plainOnlyKeys } from "../../config/secretKeys";
import { engines } from "../../components/engines/registry";
import { strict as assert } from "assert";
import { validateConfig } from "../../config/validate";
import { ProgramRun, resolve, runProgram } from "../kit/harness";
import { strings } from "../kit/runDiff";
import { stackFile } from "../kit/stackConfig";

// Key names of the program's own config schema: public (README, Pulumi.dev.yaml), so finding
// "name" or "branch" in a message tells nothing about a secret value.
const schemaKeys = new Set([
    "name", "repo", "branch", "path", "create", "keyVersion", "flux", "args", "gitPollInterval", "syncInterval",
    "image", "maxMemoryMb", "ingressNamespaces", "enabled", "version", "slack", "channel", "user", "podSecurity",
    "policies", "containerResources", "quota", "limits", "cpu", "memory", "pods", "storage", "loadBalancers",
    "nodePorts", "defaultRequest", "default",
]);

/**
 * Every string of a secret config value: its text, each string in it and each key the user typed,
 * but for `publicNames`: team names of the plain platform:teams, which a webhook map is keyed by
 * and whose teams' AlertProviders show which of them have a webhook (components/addons/flagger/config.ts).
 */
function fragments(text: string, publicNames: ReadonlySet<string>): string[] {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return [text];
    }
    const keys = (v: unknown): string[] => Array.isArray(v)
        ? v.flatMap(keys)
        : v && typeof v === "object"
        ? Object.entries(v).flatMap(([k, inner]) => [...(schemaKeys.has(k) ? [] : [k]), ...keys(inner)])
        : [];
    return [...new Set([...strings(value).map(([, s]) => s), ...keys(value)])].filter((s) => s !== "" && !publicNames.has(s));
}

function asText(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Everything a run shows: its error, its log lines, its exports and every plain resource input. */
async function shown(run: ProgramRun): Promise<Array<[string, string]>> {
    const out: Array<[string, string]> = [];
    if (run.error) {
        out.push(["error", run.error.message]);
    }
    run.recording.logs.forEach((line, i) => out.push([`log ${i}`, line]));
    for (const [name, value] of Object.entries(run.exports ?? {})) {
        const { value: resolved } = await resolve(value as any);
        out.push(...strings(resolved, `export ${name}`));
    }
    for (const r of run.recording.resources) {
        for (const [at, text] of strings(r.inputs, r.name)) {
            const top = at.slice(r.name.length + 1).split(".")[0];
            if (!r.secretInputs.has(top)) {
                out.push([at, text]);
            }
        }
    }
    return out;
}

/** Runs the program with `secret` set as secret keys and fails if any fragment of them shows. */
async function assertNothingShown(config: Record<string, unknown>, secret: string[]): Promise<ProgramRun> {
    const run = await runProgram(config, secret);
    const text = asText(config);
    const plainTeams = secret.includes("platform:teams") ? [] : config["platform:teams"] as Array<{ name: string }>;
    const publicNames = new Set(plainTeams.map((t) => t.name));
    const visible = await shown(run);
    assert.ok(visible.length > 0, "the run showed nothing at all: the scan would prove nothing");
    for (const key of secret) {
        for (const fragment of fragments(text[key], publicNames)) {
            for (const [where, what] of visible) {
                assert.ok(!what.includes(fragment), `${where} shows "${fragment}" of ${key}: ${what}`);
            }
        }
    }
    const result = validateConfig(text, new Set(secret));
    for (const problem of result.ok ? [] : result.problems) {
        for (const key of secret) {
            for (const fragment of fragments(text[key], publicNames)) {
                assert.ok(!problem.includes(fragment), `problem shows "${fragment}" of ${key}: ${problem}`);
            }
        }
    }
    return run;
}

const owner = { "github:owner": "org" };
const teams = [{ name: "team1" }, { name: "team2" }];

describe("config: values set with --secret are never shown", () => {
    it("refuses as a secret every platform key that holds no credential, each engine's and add-on's with its own reason", () => {
        const credentials = ["platform:slackWebhook", "platform:teamSlackWebhooks"];
        assert.deepEqual(Object.values(addons).flatMap((addon) => addon.config.credentials ?? []).map((key) => `platform:${key}`), credentials);
        for (const addon of Object.values(addons)) {
            for (const [key, why] of Object.entries(addon.config.plainBecause)) {
                assert.equal(plainOnlyKeys[`platform:${key}`], why, addon.name);
            }
        }
        const uncovered = platformKeys.map((key) => `platform:${key}`).filter((key) => !credentials.includes(key) && !(key in plainOnlyKeys));
        assert.deepEqual(uncovered, []);
        assert.ok(credentials.every((key) => !(key in plainOnlyKeys)));
        for (const engine of Object.values(engines)) {
            assert.deepEqual(Object.keys(engine.config.plainBecause).sort(), [...engine.config.platformKeys].sort(), engine.name);
            for (const [key, why] of Object.entries(engine.config.plainBecause)) {
                assert.equal(plainOnlyKeys[`platform:${key}`], why);
            }
        }
    });

    it("refuses platform:teams as a secret, valid or not, naming the key and nothing of the value", async () => {
        for (const value of [
            [{ name: "zqsecretteam" }],
            [{ name: "Zq_Secret_Team", brnachzq: "zqsecretbranch", branch: "@", flux: { args: ["--git-url=zqsecreturl"] } }],
            "not json zqsecret",
        ]) {
            const run = await assertNothingShown({ ...owner, "platform:teams": value }, ["platform:teams"]);
            assert.equal(run.recording.resources.length, 0);
            assert.match(run.error!.message, /platform:teams: is set with --secret, but the platform cannot keep it secret: /);
            // Not `pulumi config rm platform:teams`, which wipes every team: the webhook's own key, and a way back to plain text.
            assert.ok(!run.error!.message.includes("pulumi config rm platform:teams"), run.error!.message);
            assert.match(run.error!.message, /it belongs in platform:teamSlackWebhooks\.<team>, where it stays a secret to the pod: `pulumi config set --secret --path 'platform:teamSlackWebhooks\.<team>' <url>`/);
            assert.match(run.error!.message, /pass \{"platform:teams": <the entry>\} to `pulumi config set-all --json`/);
        }
    });

    it("refuses every other structured key and github:owner as a secret, even when valid", async () => {
        const values: Record<string, unknown> = {
            "github:owner": "zqsecretorg",
            "platform:cluster": { repo: "zqsecretrepo", branch: "zqsecretbranch", path: "zqsecretpath" },
            "platform:flux": { image: "zqsecret/flux:1", gitPollInterval: "7m", syncInterval: "2562048h" },
            "platform:memcached": { image: "zqsecret/memcached:1", maxMemoryMb: 4 },
            "platform:network": { ingressNamespaces: ["zqsecretingress", "team1"], zqsecretkey: true },
            "platform:flagger": { enabled: false, version: "zqsecretversion", slack: { channel: "zqsecretchannel", user: "zqsecretuser", zqsecretkey: 1 } },
        };
        for (const [key, value] of Object.entries(values)) {
            const config = { ...owner, "platform:teams": teams, [key]: value };
            const run = await assertNothingShown(config, [key]);
            assert.equal(run.recording.resources.length, 0, key);
            assert.ok(run.error!.message.includes(`  - ${key}: is set with --secret, but the platform cannot keep it secret: `), run.error!.message);
            assert.equal(run.error!.message.includes("it belongs in platform:slackWebhook"), key === "platform:flagger", key);
        }
    });

    it("never shows a key of platform:teamSlackWebhooks that names no team, nor a did-you-mean for it", async () => {
        const run = await assertNothingShown({
            ...owner, "platform:teams": teams,
            "platform:teamSlackWebhooks": {
                zqteam1: "https://hooks.slack.com/services/ZQ1/ZQ2/zqsecretone",
                "https://hooks.slack.com/services/ZQ3/ZQ4/zqsecrettwo": "team2",
                team2: "http://zqsecretplain",
            },
        }, ["platform:teamSlackWebhooks"]);
        assert.match(run.error!.message, /platform:teamSlackWebhooks: 2 of its 3 keys are not a team's name/);
        assert.match(run.error!.message, /platform:teamSlackWebhooks\.team2: is not an https URL/);
    });

    it("carries both webhooks as secrets to the pods: nothing of them in logs, exports or plain inputs", async () => {
        const run = await assertNothingShown({
            ...stackFile("migration"),
            "platform:slackWebhook": "https://hooks.slack.com/services/ZQP/ZQQ/zqplatformsecret",
            "platform:teamSlackWebhooks": { team2: "https://hooks.slack.com/services/ZQT/ZQU/zqteamsecret" },
        }, ["platform:slackWebhook", "platform:teamSlackWebhooks"]);
        assert.equal(run.error, undefined);
        const secretInputs = run.recording.resources.filter((r) =>
            [...r.secretInputs].some((k) => JSON.stringify(r.inputs[k]).includes("zqplatformsecret") || JSON.stringify(r.inputs[k]).includes("zqteamsecret")));
        assert.ok(secretInputs.length >= 2, "each webhook reaches a resource, as a secret input");
    });

    it("refuses github:token in plain text, saying the command that fixes it, without showing the token", async () => {
        const token = "ghp_zqsecrettoken0123456789";
        const run = await runProgram({ ...owner, "platform:teams": teams, "github:token": token });
        assert.equal(run.recording.resources.length, 0);
        assert.match(run.error!.message, /github:token: is stored in plain text in the stack file \(Pulumi\.<stack>\.yaml\): it is a credential\. Encrypt it with `pulumi config set --secret github:token <token>`/);
        assert.ok(!run.error!.message.includes("zqsecret"), run.error!.message);
        assert.ok(run.recording.logs.every((line) => !line.includes("zqsecret")));
    });

    it("accepts github:token set as a secret and shows nothing of it", async () => {
        const run = await assertNothingShown({ ...owner, "platform:teams": teams, "github:token": "ghp_zqsecrettoken0123456789" }, ["github:token"]);
        assert.equal(run.error, undefined);
        assert.ok(run.recording.resources.length > 0);
    });
});
