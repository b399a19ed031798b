// Flagger and Slack: `platform:flagger`, the webhook keys and each team's `slack` entry.
// A webhook is a credential: it is wrapped in pulumi.secret the moment it is read, and no problem
// message ever quotes it (not even cut short), so a typo in config cannot print it.
import * as pulumi from "@pulumi/pulumi";
import { flaggerChartVersion } from "../../shared/versions";
import { Rule, readBoolean, readObject, readString } from "../../shared/settings/fields";
import { Problems } from "../../shared/settings/problems";
import { FlaggerSettings, SlackSettings } from "./settings";

const flaggerKey = "platform:flagger";
const slackWebhookKey = "platform:slackWebhook";
const teamSlackWebhooksKey = "platform:teamSlackWebhooks";

/** The `platform:` keys Flagger reads: its settings (plain, with why) and the two webhooks (credentials). */
export const flaggerConfig = {
    plainBecause: {
        flagger: "whether Flagger is on decides which resources exist, and its version and Slack " +
            "channel and user are plain chart values and AlertProvider fields",
    },
    credentials: ["slackWebhook", "teamSlackWebhooks"],
} as const;

const flaggerKeys = ["enabled", "version", "slack"];
const slackKeys = ["channel", "user"];
const teamSlackKeys = ["channel"];

export const flaggerDefaults = {
    enabled: true,
    version: flaggerChartVersion,
    slack: { channel: "alerts", user: "flagger" },
} as const;

const notShown = "(the value is secret and not shown)";

// Slack's own rule for channel names, with the optional leading '#'.
const slackChannel: Rule<string> = (channel) =>
    /^#?[a-z0-9][a-z0-9_-]{0,79}$/.test(channel)
        ? undefined
        : "is not a Slack channel name: lowercase letters, digits, '-' and '_', at most 80";

const slackUser: Rule<string> = (user) =>
    // One line of printable text: control characters are what the rule is about.
    // eslint-disable-next-line no-control-regex
    /^[^\x00-\x1f\x7f]{1,80}$/.test(user) ? undefined : "is not a Slack display name: 1 to 80 characters on one line";

const chartVersion: Rule<string> = (version) =>
    /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)
        ? undefined
        : "is not an exact chart version such as 1.44.0 (ranges are not allowed: the version is pinned)";

/**
 * `value` is the parsed `platform:flagger`; the webhook comes from `raw`, the config as Pulumi
 * stores it. `webhookUsedByEngine`: the cluster repo's engine reports its failed syncs to the
 * platform webhook too, so the webhook is used even with Flagger off.
 */
export function readFlagger(
    value: unknown, raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems,
    webhookUsedByEngine = false,
): FlaggerSettings {
    const obj = value === undefined ? {} : readObject(flaggerKey, value, flaggerKeys, problems) ?? {};
    const enabled = readBoolean(`${flaggerKey}.enabled`, obj.enabled, flaggerDefaults.enabled, problems);
    const version = readString(`${flaggerKey}.version`, obj.version, flaggerDefaults.version, problems, chartVersion);
    const slackKey = `${flaggerKey}.slack`;
    const slack = obj.slack === undefined ? {} : readObject(slackKey, obj.slack, slackKeys, problems) ?? {};
    const channel = readString(`${slackKey}.channel`, slack.channel, flaggerDefaults.slack.channel, problems, slackChannel);
    const user = readString(`${slackKey}.user`, slack.user, flaggerDefaults.slack.user, problems, slackUser);

    const text = raw[slackWebhookKey];
    if (text !== undefined && !enabled && !webhookUsedByEngine) {
        problems.add(slackWebhookKey, disabledMessage(slackWebhookKey));
        return { enabled, version, slack: { channel, user } };
    }
    if (text !== undefined && !secretKeys.has(slackWebhookKey)) {
        problems.add(slackWebhookKey, plainTextMessage(slackWebhookKey));
    }
    const webhook = text === undefined ? undefined : readWebhook(slackWebhookKey, text, problems);
    return { enabled, version, slack: { channel, user, ...(webhook ? { webhook } : {}) } };
}

/** A team's `slack` entry; what it leaves out comes from the platform's Slack settings. */
export function readTeamSlack(key: string, value: unknown, platform: SlackSettings, problems: Problems): SlackSettings {
    const obj = value === undefined ? {} : readObject(key, value, teamSlackKeys, problems) ?? {};
    return {
        channel: readString(`${key}.channel`, obj.channel, platform.channel, problems, slackChannel),
        user: platform.user,
    };
}

/** Gives each team named in `platform:teamSlackWebhooks` its webhook. */
export function withTeamWebhooks<Team extends { readonly name: string; readonly slack: SlackSettings }>(
    teams: readonly Team[], flagger: FlaggerSettings, raw: Readonly<Record<string, string>>,
    secretKeys: ReadonlySet<string>, problems: Problems, webhooksUsedByEngines = false,
): Team[] {
    const key = teamSlackWebhooksKey;
    const text = raw[key];
    if (text === undefined) {
        return [...teams];
    }
    if (!flagger.enabled && !webhooksUsedByEngines) {
        problems.add(key, disabledMessage(key));
        return [...teams];
    }
    if (!secretKeys.has(key)) {
        problems.add(key, plainTextMessage(`${key}.<team>`));
    }
    const map = parseWebhookMap(text);
    if (!map) {
        problems.add(key, `must be an object mapping team names to webhook URLs ${notShown}`);
        return [...teams];
    }
    const names = teams.map((t) => t.name);
    const webhooks = new Map<string, pulumi.Output<string>>();
    const strangers = Object.keys(map).filter((name) => !names.includes(name));
    if (strangers.length > 0) {
        problems.add(key, notATeamMessage(strangers.length, Object.keys(map).length, names));
    }
    for (const [team, url] of Object.entries(map)) {
        if (!names.includes(team)) {
            continue;
        }
        const webhook = readWebhook(`${key}.${team}`, url, problems);
        if (webhook) {
            webhooks.set(team, webhook);
        }
    }
    return teams.map((team) => {
        const webhook = webhooks.get(team.name);
        return webhook ? { ...team, slack: { ...team.slack, webhook } } : team;
    });
}

function readWebhook(key: string, value: unknown, problems: Problems): pulumi.Output<string> | undefined {
    if (typeof value !== "string" || !isHttpsUrl(value)) {
        problems.add(key, `is not an https URL ${notShown}: use the incoming webhook Slack gives you, ` +
            "https://hooks.slack.com/services/...");
        return undefined;
    }
    return pulumi.secret(value);
}

// The map's keys are part of its secret value. A key that names a team is shown (it is a name from
// the plain platform:teams, and a team with a webhook gets an AlertProvider anyone may see); any
// other key is never shown, not even as a did-you-mean, which would tell what it is close to.
function notATeamMessage(strangers: number, keys: number, teams: readonly string[]): string {
    return `${strangers} of its ${keys} keys ${strangers === 1 ? "is" : "are"} not a team's name ` +
        `(the keys are part of the secret value and not shown; \`pulumi config get ${teamSlackWebhooksKey}\` ` +
        `shows them to you); the keys must be team names (teams: ${teams.join(", ") || "none"})`;
}

function isHttpsUrl(text: string): boolean {
    if (/\s/.test(text)) {
        return false;
    }
    try {
        const url = new URL(text);
        return url.protocol === "https:" && url.hostname !== "";
    } catch {
        return false;
    }
}

function parseWebhookMap(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value)
            ? value as Record<string, unknown>
            : undefined;
    } catch {
        return undefined;
    }
}

function plainTextMessage(key: string): string {
    return "is stored in plain text in the stack file: it is a credential, set it with " +
        `\`pulumi config set --secret ${key.includes(".") ? `--path '${key}'` : key} <url>\``;
}

function disabledMessage(key: string): string {
    return `is set but ${flaggerKey}.enabled is false, so nothing would use it: enable Flagger or ` +
        `\`pulumi config rm ${key}\``;
}
