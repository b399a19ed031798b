// platform:mirror: images and charts from a mirror, and the keys that still name upstream refused.
import * as assert from "assert";
import { chartSource, mirroredImage, noMirror, registryOf } from "../../components/shared/mirror";
import { validateConfig } from "../../config/validate";
import { runProgram } from "../kit/harness";
import { stackFile } from "../kit/stackConfig";

type Config = Record<string, unknown>;
const mirror = { registries: { "docker.io": "registry.example.com/docker.io", "ghcr.io": "registry.example.com/ghcr.io" }, charts: {} };

function validate(config: Config) {
    return validateConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
}

/** The dev example (Flux v2) with every registry and chart mirrored, and the engine's own keys set to the mirror. */
function mirrored(): Config {
    const dev = stackFile("dev");
    return {
        ...dev,
        "platform:mirror": {
            registries: mirror.registries,
            charts: { gatekeeper: "https://charts.example.com/gatekeeper", flagger: "https://charts.example.com/flagger",
                "flux-operator": "oci://registry.example.com/charts/flux-operator" },
        },
        "platform:flux2": { ...dev["platform:flux2"] as Config, registry: "registry.example.com/ghcr.io/fluxcd", variant: "upstream-alpine" },
    };
}

describe("a mirror (platform:mirror)", () => {
    it("serves an image under its registry's path, Docker Hub's short names under library/", () => {
        assert.equal(mirroredImage("openpolicyagent/gatekeeper", mirror), "registry.example.com/docker.io/openpolicyagent/gatekeeper");
        assert.equal(mirroredImage("memcached:1.6", mirror), "registry.example.com/docker.io/library/memcached:1.6");
        assert.equal(mirroredImage("docker.io/prom/prometheus:v2.41.0", mirror), "registry.example.com/docker.io/prom/prometheus:v2.41.0");
        assert.equal(mirroredImage("ghcr.io/fluxcd/flagger", mirror), "registry.example.com/ghcr.io/fluxcd/flagger");
        assert.equal(mirroredImage("quay.io/x/y:1", mirror), "quay.io/x/y:1");
        assert.equal(mirroredImage("ghcr.io/fluxcd/flagger", noMirror), "ghcr.io/fluxcd/flagger");
        assert.equal(registryOf("localhost:5000/x"), "localhost:5000");
    });

    it("takes a chart from a Helm repository or an OCI reference", () => {
        const upstream = { chart: "flagger", repositoryOpts: { repo: "https://flagger.app" } };
        assert.deepEqual(chartSource("flagger", upstream, noMirror), upstream);
        assert.deepEqual(chartSource("flagger", upstream, { registries: {}, charts: { flagger: "https://m.example.com/flagger" } }),
            { chart: "flagger", repositoryOpts: { repo: "https://m.example.com/flagger" } });
        assert.deepEqual(chartSource("flagger", upstream, { registries: {}, charts: { flagger: "oci://m.example.com/charts/flagger" } }),
            { chart: "oci://m.example.com/charts/flagger" });
    });

    it("points every chart and every image the charts run at the mirror", async () => {
        const run = await runProgram(mirrored());
        assert.ifError(run.error);
        const release = (name: string) => run.recording.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === name)!.inputs;
        const gatekeeper = release("gatekeeper");
        assert.deepEqual(gatekeeper.repositoryOpts, { repo: "https://charts.example.com/gatekeeper" });
        assert.equal(gatekeeper.values.image.repository, "registry.example.com/docker.io/openpolicyagent/gatekeeper");
        assert.equal(gatekeeper.values.image.crdRepository, "registry.example.com/docker.io/openpolicyagent/gatekeeper-crds");
        assert.deepEqual(gatekeeper.values.postInstall, {
            labelNamespace: { enabled: false, image: { repository: "registry.example.com/docker.io/openpolicyagent/gatekeeper-crds" } },
            probeWebhook: { image: { repository: "registry.example.com/docker.io/curlimages/curl" } },
        });
        const flagger = release("flagger");
        assert.deepEqual(flagger.repositoryOpts, { repo: "https://charts.example.com/flagger" });
        assert.equal(flagger.values.image.repository, "registry.example.com/ghcr.io/fluxcd/flagger");
        assert.deepEqual(flagger.values.prometheus, { install: true, image: "registry.example.com/docker.io/prom/prometheus:v2.41.0" });
        const operator = release("flux-operator");
        assert.equal(operator.chart, "oci://registry.example.com/charts/flux-operator");
        assert.equal(operator.repositoryOpts, undefined);
        assert.deepEqual(operator.values.image, { repository: "registry.example.com/ghcr.io/controlplaneio-fluxcd/flux-operator" });
    });

    it("changes no chart value of a stack without a mirror", async () => {
        const run = await runProgram(stackFile("dev"));
        for (const release of run.recording.ofType("kubernetes:helm.sh/v3:Release")) {
            assert.equal(release.inputs.values.image, undefined, release.name);
            assert.equal(release.inputs.values.prometheus?.image, undefined, release.name);
            assert.equal(release.inputs.repositoryOpts?.repo ?? release.inputs.chart, {
                gatekeeper: "https://open-policy-agent.github.io/gatekeeper/charts", flagger: "https://flagger.app",
                "flux-operator": "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator",
            }[release.inputs.name as string], release.name);
        }
        const gatekeeper = run.recording.ofType("kubernetes:helm.sh/v3:Release").find((r) => r.inputs.name === "gatekeeper")!;
        assert.deepEqual(gatekeeper.inputs.values.postInstall, { labelNamespace: { enabled: false } });
        assert.equal(gatekeeper.inputs.values.postUpgrade, undefined);
        assert.equal(gatekeeper.inputs.values.preUninstall, undefined);
    });

    it("refuses an engine's image that still names a mirrored registry, and says what to set", () => {
        const result = validate({ ...mirrored(), "platform:flux2": stackFile("dev")["platform:flux2"] });
        assert.ok(!result.ok);
        assert.deepEqual(result.problems, [
            "platform:flux2.registry: \"ghcr.io/fluxcd\" comes from ghcr.io, which platform:mirror.registries sends to registry.example.com/ghcr.io: " +
            "set it to \"registry.example.com/ghcr.io/fluxcd\" and platform:flux2.variant to the build it mirrors",
        ]);
        const flux1 = validate({ "github:owner": "org", "platform:engine": "flux1", "platform:teams": [{ name: "team1" }], "platform:mirror": { registries: mirror.registries } });
        assert.ok(!flux1.ok);
        assert.deepEqual(flux1.problems.map((p) => p.split(":").slice(0, 2).join(":")), ["platform:flux.image", "platform:memcached.image"]);
    });

    it("names each mistake by its key", () => {
        const result = validate({
            "github:owner": "org", "platform:engine": "flux2", "platform:teams": [],
            "platform:mirror": { registries: { "https://docker.io": "x", "ghcr.io": "https://m.example.com" }, charts: { flager: "https://x", gatekeeper: "ftp://x" }, images: {} },
        });
        assert.ok(!result.ok);
        assert.deepEqual(result.problems.map((p) => p.slice(0, p.indexOf(":", "platform:".length + 1))), [
            "platform:mirror.images", "platform:mirror.registries.https", "platform:mirror.registries.ghcr.io", "platform:mirror.charts.flager",
            "platform:mirror.charts.gatekeeper",
        ]);
        assert.match(result.problems.join("\n"), /platform:mirror.charts.flager: is not a chart the platform installs; did you mean "flagger"\?/);
    });
});
