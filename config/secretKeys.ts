// Which config keys may be set with `--secret`, decided key by key, and the one provider key that
// must be. A value set with `--secret` never appears in a problem, a log line, an export or a plain
// resource input: a key is either carried as a secret all the way to the pod (the Slack webhooks,
// see components/addons/flagger/config.ts), or refused as a secret with a message that names the key and nothing of its
// value, and its value is then not read at all, so no other check can quote it.
import { addonPlainKeys } from "../components/addons/registry";
import { engines } from "../components/engines/registry";
import { Problems } from "../components/shared/settings/problems";

/**
 * Keys refused as secrets, with why the platform cannot keep them secret. None of them holds a
 * credential; each becomes resource names, namespaces, labels, container args or stack outputs,
 * which Pulumi and Kubernetes show to anyone who may read the stack or the cluster. Carrying them
 * as secrets would hide nothing (a resource's name cannot be secret) and would only hide the diff
 * of `pulumi preview`.
 */
export const plainOnlyKeys: Readonly<Record<string, string>> = {
    "github:owner": "it is part of every repo's URL, of the stack outputs and of each Flux's --git-url",
    "platform:engine": "it decides which engine's resources exist, which every preview shows",
    "platform:fleet": "its cluster names are folders of every team's repo, repo names and deploy key titles",
    "platform:cluster": "its repo, branch and path are the cluster repo's name, the stack outputs and the system Flux's args",
    // Each engine's keys, with the engine's own reasons.
    ...Object.fromEntries(Object.values(engines).flatMap((engine) => Object.entries(engine.config.plainBecause)
        .map(([key, why]) => [`platform:${key}`, why]))),
    "platform:network": "its namespaces are written into every team's NetworkPolicy",
    "platform:mirror": "its registries and chart sources are the images of pods and the charts of Helm releases, which every preview shows",
    "platform:teams": "team names are namespaces and resource names, which cannot be secret, and the rest " +
        "becomes repo names, Flux args, labels, quotas and stack outputs",
    "platform:teamOverrides": "it holds team settings, which are as plain as those of platform:teams",
    // Each add-on's keys that hold no credential, with the add-on's own reasons.
    ...Object.fromEntries(Object.entries(addonPlainKeys()).map(([key, why]) => [`platform:${key}`, why])),
};

/**
 * Where a webhook belongs that someone set with `--secret --path` under a plain key, which makes
 * the whole key secret (Pulumi encrypts a path's top-level key).
 */
const webhookHomes: Readonly<Record<string, { readonly under: string; readonly home: string }>> = {
    "platform:teams": { under: "platform:teams[i].slack.webhook", home: "platform:teamSlackWebhooks.<team>" },
    "platform:flagger": { under: "platform:flagger.slack.url", home: "platform:slackWebhook" },
    "platform:teamOverrides": { under: "platform:teamOverrides.<team>.slack.webhook", home: "platform:teamSlackWebhooks.<team>" },
};

/**
 * How to make a structured key plain again without retyping it: `pulumi config set-all --json`
 * takes an entry in the form `pulumi config --json` prints (docs/upstream.md, "`pulumi config
 * set-all --json`").
 */
function plainAgain(key: string): string {
    const webhook = webhookHomes[key];
    const again = (edit: string) => `take its entry from \`pulumi config --json --show-secrets\`, ${edit}set "secret" to false, ` +
        `and pass {"${key}": <the entry>} to \`pulumi config set-all --json\``;
    return webhook
        ? `If a Slack webhook was set under it (--secret --path '${webhook.under}'), it belongs in ${webhook.home}, where it ` +
            `stays a secret to the pod: \`pulumi config set --secret --path '${webhook.home}' <url>\`. Then make ${key} plain ` +
            `again without retyping it: ${again('delete the webhook from its "value" and "objectValue", ')}`
        : `Make it plain again: \`pulumi config rm ${key}\` and set it without --secret, or ${again("")}`;
}

/**
 * Records a problem for each key of `plainOnlyKeys` set with `--secret` and returns those keys:
 * their values must not be read, checked or quoted anywhere else.
 */
export function refuseSecretPlainKeys(
    raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems,
): ReadonlySet<string> {
    const withheld = new Set<string>();
    for (const [key, why] of Object.entries(plainOnlyKeys)) {
        if (raw[key] !== undefined && secretKeys.has(key)) {
            withheld.add(key);
            problems.add(key, `is set with --secret, but the platform cannot keep it secret: ${why}. ${plainAgain(key)}. ` +
                "Its value is not shown, and is checked once it is plain");
        }
    }
    return withheld;
}

/**
 * `github:token` belongs to the GitHub provider, which reads it itself; the program only refuses
 * it in plain text. Refused rather than warned about, as the webhooks are: a plain value sits in
 * Pulumi.<stack>.yaml, which is committed with the program, and a warning in a `pulumi up` log
 * does not take it back out. The token itself is never read here, let alone printed.
 */
export function checkGithubToken(
    raw: Readonly<Record<string, string>>, secretKeys: ReadonlySet<string>, problems: Problems,
): void {
    const key = "github:token";
    if (raw[key] !== undefined && raw[key] !== "" && !secretKeys.has(key)) {
        problems.add(key, "is stored in plain text in the stack file (Pulumi.<stack>.yaml): it is a credential. " +
            `Encrypt it with \`pulumi config set --secret ${key} <token>\`, or \`pulumi config rm ${key}\` and ` +
            "export GITHUB_TOKEN instead; if the stack file was ever committed or shared, revoke the token on GitHub");
    }
}
