import { strict as assert } from "assert";
import { ProgramRun, resolve, runProgram } from "../kit/harness";
import { autoName } from "../kit/mockOutputs";
import { stackFile } from "../kit/stackConfig";
import { assertOnlyAddsTeam, compare, strings } from "../kit/runDiff";

const release = "kubernetes:helm.sh/v3:Release";
const alertProvider = "kubernetes:flagger.app/v1beta1:AlertProvider";
const platformWebhook = "https://hooks.slack.com/services/T000/B000/platform-secret";
const team2Webhook = "https://hooks.slack.com/services/T222/B222/team2-secret";
const webhookKeys = ["platform:slackWebhook", "platform:teamSlackWebhooks"];

const withSlack = {
    ...stackFile("migration"),
    "platform:slackWebhook": platformWebhook,
    "platform:teamSlackWebhooks": { team2: team2Webhook },
};

/** Each team repo's template, by the team repo's name. */
function templates(run: ProgramRun): Record<string, string> {
    return Object.fromEntries(run.recording.ofType("github:index/repository:Repository")
        .filter((r) => r.inputs.template).map((r) => [r.inputs.name, r.inputs.template.repository]));
}

function repoFiles(run: ProgramRun): string[] {
    return run.recording.ofType("github:index/repositoryFile:RepositoryFile").map((f) => `${f.inputs.repository}/${f.inputs.file}`);
}

describe("the program with Flagger and Slack", () => {
    let dev: ProgramRun;
    let slack: ProgramRun;
    before(async () => {
        dev = await runProgram(stackFile("migration"));
        slack = await runProgram(withSlack, webhookKeys);
    });

    it("installs Flagger once, without Slack, and says so once when no webhook is set", () => {
        assert.equal(dev.error, undefined);
        const helm = dev.recording.ofType(release).filter((r) => r.inputs.chart === "flagger");
        assert.equal(helm.length, 1);
        assert.equal(helm[0].inputs.namespace, "flagger-system");
        assert.equal(helm[0].inputs.values.slack, undefined);
        assert.equal(helm[0].inputs.values.env, undefined);
        assert.deepEqual(dev.recording.ofType("kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.namespace === "flagger-system"), []);
        assert.deepEqual(dev.recording.logs.filter((l) => /slack/i.test(l)), [
            "info: Flagger is installed without Slack: platform:slackWebhook is not set " +
            "(set it with `pulumi config set --secret platform:slackWebhook <url>`).",
        ]);
        assert.deepEqual(dev.recording.ofType(alertProvider), []);
    });

    it("gives every team repo the example Canary, through its template", () => {
        const byRepo = templates(dev);
        assert.deepEqual(Object.keys(byRepo).sort(), ["dev-team1", "dev-team2", "dev-team3"]);
        const canaries = repoFiles(dev).filter((f) => f.includes("canary"));
        for (const template of Object.values(byRepo)) {
            assert.ok(canaries.includes(`${template}/workloads/canary.example.yaml`), `${template}: ${canaries.join(", ")}`);
        }
        assert.ok(!canaries.some((f) => f.startsWith("dev-")), "no team repo has a file of its own");
    });

    it("posts to the platform channel through the secret webhook, and to team2's own channel", () => {
        assert.equal(slack.error, undefined);
        assert.deepEqual(slack.recording.logs, []);
        const helm = slack.recording.get(release, "platform-flagger-release");
        assert.deepEqual(helm.inputs.values.slack, { channel: "alerts", user: "flagger" });
        assert.deepEqual(helm.inputs.values.env, [{ name: "SLACK_URL", valueFrom: { secretKeyRef: { name: autoName("platform-flagger-slack-webhook", slack.recording.get("kubernetes:core/v1:Secret", "platform-flagger-slack-webhook").inputs), key: "address" } } }]);
        assert.ok(helm.dependsOn.includes("platform-flagger-slack-webhook"));
        const flaggerSecret = slack.recording.get("kubernetes:core/v1:Secret", "platform-flagger-slack-webhook");
        assert.equal(flaggerSecret.inputs.metadata.namespace, "flagger-system");
        assert.equal(flaggerSecret.inputs.stringData.address, platformWebhook);
        const providers = slack.recording.ofType(alertProvider);
        assert.deepEqual(providers.map((p) => p.inputs.metadata.namespace), ["team2"]);
        assert.equal(providers[0].inputs.spec.channel, "team2-deploys");
        assert.equal(slack.recording.k8s("kubernetes:core/v1:Secret", "team2", "platform-slack-webhook").inputs.stringData.address,
            team2Webhook);
    });

    it("keeps every webhook secret: in Flagger's and the team's Secrets only, never in Helm values, outputs, plain inputs or logs", async () => {
        const webhooks = [platformWebhook, team2Webhook];
        for (const name of Object.keys(slack.exports!)) {
            const { value } = await resolve(slack.exports![name] as any);
            for (const [at, text] of strings(value)) {
                assert.ok(!webhooks.some((w) => text.includes(w)), `output ${name}${at} holds a webhook`);
            }
        }
        const holders: string[] = [];
        for (const r of slack.recording.resources) {
            for (const [at, text] of strings(r.inputs)) {
                if (webhooks.some((w) => text.includes(w))) {
                    holders.push(`${r.name}${at}`);
                    assert.ok(r.secretInputs.has(at.split(".")[1]), `${r.name} holds a webhook in plain input ${at}`);
                }
            }
        }
        assert.deepEqual(holders.sort(), [
            "platform-flagger-slack-webhook.stringData.address",
            "platform-team-team2-alerts-webhook.stringData.address",
        ]);
        // Nothing holds the webhook in the clear, so nothing else needs to be secret.
        assert.ok(!slack.recording.get(release, "platform-flagger-release").secretInputs.has("values"));
        assert.ok(!slack.recording.logs.some((l) => webhooks.some((w) => l.includes(w))));
    });

    it("adds a team with its own webhook without changing anything that existed", async () => {
        const teams = (names: string[]) => ({
            "github:owner": "org",
            "platform:slackWebhook": platformWebhook,
            "platform:teams": names.map((name) => ({ name })),
            "platform:teamSlackWebhooks": Object.fromEntries(names.map((n) => [n, `https://hooks.slack.com/services/${n}`])),
        });
        const before = await runProgram(teams(["team1"]), webhookKeys);
        const after = await runProgram(teams(["team1", "team2"]), webhookKeys);
        assertOnlyAddsTeam(before, after, "team2");
        assert.ok(after.recording.ofType(alertProvider).some((p) => p.inputs.metadata.namespace === "team2"));
    });

    it("turned on later, starts repos created from then on with the example, and writes nothing to existing team repos", async () => {
        const off = await runProgram({ ...stackFile("migration"), "platform:flagger": { enabled: false } });
        const diff = compare(off, dev);
        const github = (keys: string[]) => keys.filter((k) => k.startsWith("github:"));
        // New templates with the example; no team repo gets a file.
        assert.ok(github(diff.added).length > 0);
        assert.ok(github(diff.added).every((k) => /::platform-template-flux[12]-[0-9a-f]{8}-/.test(k)), github(diff.added).join("\n"));
        // The team repos name the new templates, an input they ignore once created (GitHubRepo).
        assert.deepEqual(Object.entries(diff.changed).filter(([k]) => k.startsWith("github:")), [
            ["github:index/repository:Repository::platform-team-team1-repo-repo", [".template.repository"]],
            ["github:index/repository:Repository::platform-team-team2-repo-repo", [".template.repository"]],
            ["github:index/repository:Repository::platform-team-team3-repo-repo", [".template.repository"]],
        ]);
        // The templates without the example stay (archived only when no team needs them, on a later up).
        assert.ok(github(diff.removed).every((k) => /::platform-template-flux[12]-[0-9a-f]{8}/.test(k)), github(diff.removed).join("\n"));
    });

    it("with enabled: false installs no namespace, release, provider or example, and says nothing", async () => {
        const run = await runProgram({ ...stackFile("migration"), "platform:flagger": { enabled: false } });
        assert.equal(run.error, undefined);
        const namespaces = run.recording.ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
        assert.ok(!namespaces.includes("flagger-system"));
        assert.deepEqual(run.recording.ofType(release).filter((r) => r.inputs.chart === "flagger"), []);
        assert.deepEqual(run.recording.ofType(alertProvider), []);
        assert.deepEqual(repoFiles(run).filter((f) => f.includes("canary")), []);
        assert.deepEqual(run.recording.logs, []);
    });

    it("stops on a bad webhook without registering anything or printing it", async () => {
        const bad = "http://hooks.slack.com/services/T000/B000/leaked-if-printed";
        const run = await runProgram({ ...withSlack, "platform:slackWebhook": bad }, webhookKeys);
        assert.equal(run.recording.resources.length, 0);
        assert.match(run.error!.message, /platform:slackWebhook: is not an https URL \(the value is secret and not shown\)/);
        assert.ok(!run.error!.message.includes("leaked-if-printed"));
    });

    it("stops on a webhook set without --secret", async () => {
        const run = await runProgram(withSlack, ["platform:teamSlackWebhooks"]);
        assert.equal(run.recording.resources.length, 0);
        assert.match(run.error!.message, /platform:slackWebhook: is stored in plain text in the stack file/);
        assert.ok(!run.error!.message.includes(platformWebhook));
    });
});
