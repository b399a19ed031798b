import { strict as assert } from "assert";
import { PlatformConfig } from "../../config/types";
import { validateConfig } from "../../config/validate";
import { resolve } from "../kit/harness";

const platformWebhook = "https://hooks.slack.com/services/T000/B000/platform-secret";
const team2Webhook = "https://hooks.slack.com/services/T222/B222/team2-secret";
const secret = new Set(["platform:slackWebhook", "platform:teamSlackWebhooks"]);

const base = { "github:owner": "org", "platform:teams": [{ name: "team1" }, { name: "team2" }] };

function raw(values: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

function valid(values: Record<string, unknown>, secretKeys: ReadonlySet<string> = secret): PlatformConfig {
    const result = validateConfig(raw({ ...base, ...values }), secretKeys);
    if (!result.ok) {
        assert.fail(`expected valid config, got:\n${result.problems.join("\n")}`);
    }
    return result.config;
}

function problems(values: Record<string, unknown>, secretKeys: ReadonlySet<string> = secret): readonly string[] {
    const result = validateConfig(raw({ ...base, ...values }), secretKeys);
    assert.equal(result.ok, false, "expected the config to be rejected");
    return result.ok ? [] : result.problems;
}

/** No problem message may quote a webhook, or any recognisable part of one. */
function assertNotShown(found: readonly string[], ...webhooks: string[]): void {
    for (const problem of found) {
        for (const webhook of webhooks) {
            assert.ok(!problem.includes(webhook.slice(0, 30)) && !problem.includes(webhook.slice(-12)),
                `"${problem}" shows a webhook`);
        }
    }
}

describe("config validation: Flagger and Slack", () => {
    it("installs Flagger 1.44.0 by default, posting as flagger to alerts once a webhook is set", () => {
        const config = valid({});
        assert.deepEqual(config.flagger, { enabled: true, version: "1.44.0", slack: { channel: "alerts", user: "flagger" } });
        assert.deepEqual(config.teams.map((t) => t.slack), [
            { channel: "alerts", user: "flagger" }, { channel: "alerts", user: "flagger" },
        ]);
    });

    it("reads platform:flagger, and a team's channel defaults to the platform's", () => {
        const config = valid({
            "platform:flagger": { version: "1.43.0", slack: { channel: "#platform-alerts", user: "Canary Bot" } },
            "platform:teams": [{ name: "team1" }, { name: "team2", slack: { channel: "team2-deploys" } }],
        });
        assert.equal(config.flagger.version, "1.43.0");
        assert.deepEqual(config.teams.map((t) => t.slack), [
            { channel: "#platform-alerts", user: "Canary Bot" }, { channel: "team2-deploys", user: "Canary Bot" },
        ]);
    });

    it("wraps every webhook in a secret as it reads it, and gives each team only its own", async () => {
        const config = valid({ "platform:slackWebhook": platformWebhook, "platform:teamSlackWebhooks": { team2: team2Webhook } });
        assert.deepEqual(await resolve(config.flagger.slack.webhook!), { value: platformWebhook, secret: true });
        assert.equal(config.teams[0].slack.webhook, undefined);
        assert.deepEqual(await resolve(config.teams[1].slack.webhook!), { value: team2Webhook, secret: true });
    });

    it("rejects a webhook that is not an https URL, naming the key and never the value", () => {
        const notHttps = "http://hooks.slack.com/services/T000/B000/plain-http";
        const found = problems({
            "platform:slackWebhook": notHttps,
            "platform:teamSlackWebhooks": { team1: "hooks.slack.com/services/T111/B111/no-scheme", team2: 42 },
        });
        assert.deepEqual(found, [
            "platform:slackWebhook: is not an https URL (the value is secret and not shown): use the incoming webhook Slack gives you, https://hooks.slack.com/services/...",
            "platform:teamSlackWebhooks.team1: is not an https URL (the value is secret and not shown): use the incoming webhook Slack gives you, https://hooks.slack.com/services/...",
            "platform:teamSlackWebhooks.team2: is not an https URL (the value is secret and not shown): use the incoming webhook Slack gives you, https://hooks.slack.com/services/...",
        ]);
        assertNotShown(found, notHttps, "hooks.slack.com/services/T111/B111/no-scheme");
    });

    it("rejects a webhook stored in plain text in the stack file", () => {
        const found = problems(
            { "platform:slackWebhook": platformWebhook, "platform:teamSlackWebhooks": { team2: team2Webhook } },
            new Set(),
        );
        assert.deepEqual(found, [
            "platform:slackWebhook: is stored in plain text in the stack file: it is a credential, set it with `pulumi config set --secret platform:slackWebhook <url>`",
            "platform:teamSlackWebhooks: is stored in plain text in the stack file: it is a credential, set it with `pulumi config set --secret --path 'platform:teamSlackWebhooks.<team>' <url>`",
        ]);
        assertNotShown(found, platformWebhook, team2Webhook);
    });

    it("rejects a webhook for a name that is not a team, and a map that is not a map, without showing any key or value", () => {
        const found = problems({ "platform:teamSlackWebhooks": { team3: team2Webhook, tema1: team2Webhook, team2: team2Webhook } });
        assert.deepEqual(found, [
            "platform:teamSlackWebhooks: 2 of its 3 keys are not a team's name (the keys are part of the secret value and not shown; `pulumi config get platform:teamSlackWebhooks` shows them to you); the keys must be team names (teams: team1, team2)",
        ]);
        const swapped = problems({ "platform:teamSlackWebhooks": { [team2Webhook]: "team2" } });
        assert.deepEqual(swapped, [
            "platform:teamSlackWebhooks: 1 of its 1 keys is not a team's name (the keys are part of the secret value and not shown; `pulumi config get platform:teamSlackWebhooks` shows them to you); the keys must be team names (teams: team1, team2)",
        ]);
        const notMap = problems({ "platform:teamSlackWebhooks": team2Webhook });
        assert.deepEqual(notMap, [
            "platform:teamSlackWebhooks: must be an object mapping team names to webhook URLs (the value is secret and not shown)",
        ]);
        assertNotShown([...found, ...swapped, ...notMap], team2Webhook);
        for (const problem of [...found, ...swapped]) {
            assert.ok(!/team3|tema1/.test(problem), problem);
        }
    });

    it("with enabled: false installs nothing and refuses webhooks that nothing would use", () => {
        const off = valid({ "platform:flagger": { enabled: false }, "platform:teams": [{ name: "team1", slack: { channel: "x" } }] });
        assert.equal(off.flagger.enabled, false);
        const found = problems({
            "platform:flagger": { enabled: false },
            "platform:slackWebhook": platformWebhook,
            "platform:teamSlackWebhooks": { team2: team2Webhook },
        });
        assert.deepEqual(found, [
            "platform:slackWebhook: is set but platform:flagger.enabled is false, so nothing would use it: enable Flagger or `pulumi config rm platform:slackWebhook`",
            "platform:teamSlackWebhooks: is set but platform:flagger.enabled is false, so nothing would use it: enable Flagger or `pulumi config rm platform:teamSlackWebhooks`",
        ]);
    });

    it("checks the shape of platform:flagger and of a team's slack entry", () => {
        const found = problems({
            "platform:flagger": { enabled: "yes", version: "^1.44", slack: { channel: "Alerts Channel", user: "", url: "x" } },
            "platform:teams": [{ name: "team1", slack: { channel: "ok", chanel: "typo" } }, { name: "team2", slack: "team2" }],
        });
        assert.deepEqual(found, [
            "platform:flagger.enabled: must be true or false, got \"yes\"",
            'platform:flagger.version: "^1.44" is not an exact chart version such as 1.44.0 (ranges are not allowed: the version is pinned)',
            'platform:flagger.slack.url: unknown key; (known keys: channel, user)',
            `platform:flagger.slack.channel: "Alerts Channel" is not a Slack channel name: lowercase letters, digits, '-' and '_', at most 80`,
            'platform:flagger.slack.user: "" is not a Slack display name: 1 to 80 characters on one line',
            'platform:teams[0].slack.chanel: unknown key; did you mean "channel"? (known keys: channel)',
            'platform:teams[1].slack: must be an object with the keys channel, got "team2"',
        ]);
    });

    it("catches a mistyped Flagger key like any other", () => {
        assert.deepEqual(problems({ "platform:slackWebhok": platformWebhook }, new Set(["platform:slackWebhok"])), [
            'platform:slackWebhok: unknown key; did you mean "platform:slackWebhook"? (known keys: platform:engine, platform:fleet, platform:cluster, platform:flux, platform:memcached, platform:flux2, platform:network, platform:mirror, platform:teams, platform:teamOverrides, platform:flagger, platform:slackWebhook, platform:teamSlackWebhooks)',
        ]);
    });
});
