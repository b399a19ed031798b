import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Flagger } from "../components/addons/flagger/flagger";
import { flaggerChartVersion } from "../components/shared/versions";
import { record } from "./harness";

const release = "kubernetes:helm.sh/v3:Release";
const webhook = "https://hooks.slack.com/services/T000/B000/platform-secret";

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
        // Sized here, not by chart defaults, so the platform's footprint is known.
        assert.deepEqual(values.resources, { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "512Mi" } });
    });

    it("takes another chart version from config", async () => {
        const recording = await build({ channel: "alerts", user: "flagger" }, "1.43.0");
        assert.equal(recording.get(release, "flagger-release").inputs.version, "1.43.0");
    });

    it("without a webhook sets no Slack values, keeps the values readable, and says so once", async () => {
        const recording = await build({ channel: "alerts", user: "flagger" });
        const helm = recording.get(release, "flagger-release");
        assert.equal(helm.inputs.values.slack, undefined);
        assert.ok(!helm.secretInputs.has("values"));
        assert.equal(recording.logs.length, 1);
        assert.match(recording.logs[0], /^info: Flagger is installed without Slack: platform:slackWebhook is not set/);
    });

    it("with a webhook posts to the channel as the user, the values secret as a whole", async () => {
        const recording = await build({ channel: "deploys", user: "canary-bot", webhook: pulumi.secret(webhook) });
        const helm = recording.get(release, "flagger-release");
        assert.deepEqual(helm.inputs.values.slack, { url: webhook, channel: "deploys", user: "canary-bot" });
        assert.ok(helm.secretInputs.has("values"), "the Helm values hold the webhook, so they must be secret");
        assert.deepEqual(recording.logs, []);
    });
});
