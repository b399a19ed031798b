import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Flagger, flaggerValues } from "../../components/addons/flagger/flagger";
import { flaggerChartVersion } from "../../components/shared/versions";
import { record } from "../kit/harness";
import { autoName } from "../kit/mockOutputs";
import { strings } from "../kit/runDiff";

const release = "kubernetes:helm.sh/v3:Release";
const secretType = "kubernetes:core/v1:Secret";
const webhook = "https://hooks.slack.com/services/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";
/** Each part of the webhook that is not Slack's public prefix: none may show outside its Secret. */
const webhookParts = webhook.replace("https://hooks.slack.com/services/", "").split("/");

async function build(slack: { channel: string; user: string; webhook?: pulumi.Output<string> }, version = flaggerChartVersion) {
    return (await record(() => new Flagger("flagger", { version, slack }))).recording;
}

describe("Flagger", () => {
    it("installs the pinned chart from flagger.app into its own flagger-system namespace", async () => {
        const recording = await build({ channel: "alerts", user: "flagger" });
        const namespace = recording.get("kubernetes:core/v1:Namespace", "flagger-namespace");
        assert.equal(namespace.inputs.metadata.name, "flagger-system");
        assert.equal(namespace.inputs.metadata.labels["app.kubernetes.io/part-of"], "gitops-platform");
        const helm = recording.get(release, "flagger-release");
        assert.equal(helm.inputs.chart, "flagger");
        assert.equal(helm.inputs.version, "1.44.0");
        assert.equal(helm.inputs.repositoryOpts.repo, "https://flagger.app");
        assert.equal(helm.inputs.namespace, "flagger-system");
        // Named, not auto-named: the chart's Prometheus is then flagger-prometheus.
        assert.equal(helm.inputs.name, "flagger");
    });

    it("runs without a mesh and with the chart's own Prometheus", async () => {
        const values = (await build({ channel: "alerts", user: "flagger" })).get(release, "flagger-release").inputs.values;
        assert.equal(values.meshProvider, "kubernetes");
        assert.deepEqual(values.prometheus, { install: true });
        // Sized here, not by chart defaults, so the platform's footprint is known. `cpu: null` deletes
        // the chart's default 1000m cpu limit, which Helm would otherwise merge in.
        assert.deepEqual(values.resources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "512Mi", cpu: null } });
    });

    it("takes another chart version from config", async () => {
        const recording = await build({ channel: "alerts", user: "flagger" }, "1.43.0");
        assert.equal(recording.get(release, "flagger-release").inputs.version, "1.43.0");
    });

    it("without a webhook sets no Slack values, no env and no Secret, keeps the values readable, and says so once", async () => {
        const recording = await build({ channel: "alerts", user: "flagger" });
        const helm = recording.get(release, "flagger-release");
        assert.equal(helm.inputs.values.slack, undefined);
        assert.equal(helm.inputs.values.env, undefined);
        assert.deepEqual(recording.ofType(secretType), []);
        assert.ok(!helm.secretInputs.has("values"));
        assert.equal(recording.logs.length, 1);
        assert.match(recording.logs[0], /^info: Flagger is installed without Slack: platform:slackWebhook is not set/);
    });

    it("with a webhook keeps it out of the Helm values, which stay readable, and posts to the channel as the user", async () => {
        const recording = await build({ channel: "deploys", user: "canary-bot", webhook: pulumi.secret(webhook) });
        const helm = recording.get(release, "flagger-release");
        for (const [at, text] of strings(helm.inputs.values)) {
            for (const part of [webhook, ...webhookParts]) {
                assert.ok(!text.includes(part), `values${at} holds part of the webhook`);
            }
        }
        assert.ok(!helm.secretInputs.has("values"), "the values hold nothing secret, so they must not be secret");
        // The chart renders these as -slack-channel and -slack-user whether or not slack.url is set.
        assert.deepEqual(helm.inputs.values.slack, { channel: "deploys", user: "canary-bot" });
        assert.deepEqual(recording.logs, []);
    });

    it("keeps the webhook as a secret in an immutable, auto-named Secret in flagger-system, labelled as the platform's", async () => {
        const recording = await build({ channel: "alerts", user: "flagger", webhook: pulumi.secret(webhook) });
        const secret = recording.get(secretType, "flagger-slack-webhook");
        assert.equal(secret.inputs.metadata.namespace, "flagger-system");
        assert.equal(secret.inputs.metadata.labels["app.kubernetes.io/part-of"], "gitops-platform");
        assert.equal(secret.inputs.type, "Opaque");
        assert.deepEqual(secret.inputs.stringData, { address: webhook });
        assert.ok(secret.secretInputs.has("stringData"), "the webhook must be a secret input");
        // Immutable and without a name: a new webhook replaces the Secret under a new name, which
        // changes Flagger's pod template and restarts it (see components/flaggerSlackWebhook.ts).
        assert.equal(secret.inputs.immutable, true);
        assert.equal(secret.inputs.metadata.name, undefined);
    });

    it("gives Flagger SLACK_URL from that Secret's key, and nothing else from it", async () => {
        const recording = await build({ channel: "alerts", user: "flagger", webhook: pulumi.secret(webhook) });
        const helm = recording.get(release, "flagger-release");
        const secret = recording.get(secretType, "flagger-slack-webhook");
        // The provider auto-names the Secret (the mocks as it does, autoName); the Release takes that name.
        assert.ok(helm.dependsOn.includes("flagger-slack-webhook"), "the Release must take the Secret's name");
        assert.deepEqual(helm.inputs.values.env, [
            { name: "SLACK_URL", valueFrom: { secretKeyRef: { name: autoName("flagger-slack-webhook", secret.inputs), key: Object.keys(secret.inputs.stringData)[0] } } },
        ]);
    });

    it("references the Secret by the name the provider gives it", () => {
        const values = flaggerValues({ channel: "alerts", user: "flagger" }, "flagger-slack-webhook-3f9a2b1c");
        assert.deepEqual(values.env, [
            { name: "SLACK_URL", valueFrom: { secretKeyRef: { name: "flagger-slack-webhook-3f9a2b1c", key: "address" } } },
        ]);
        assert.deepEqual(values.slack, { channel: "alerts", user: "flagger" });
        assert.deepEqual(flaggerValues({ channel: "alerts", user: "flagger" }).env, undefined);
    });
});
