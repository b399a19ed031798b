import { strict as assert } from "assert";
import { celSource } from "../../components/addons/gatekeeper/containerResourcesRules";
import { Gatekeeper } from "../../components/addons/gatekeeper/gatekeeper";
import { gatekeeperChart } from "../../components/shared/versions";
import { record, Recording } from "../kit/harness";

const template = "kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate";

describe("Gatekeeper", () => {
    let recording: Recording;
    before(async () => {
        recording = (await record(() => new Gatekeeper("gatekeeper"))).recording;
    });

    it("gets gatekeeper-system as its own namespace, exempt from itself and held to restricted", () => {
        const labels = recording.get("kubernetes:core/v1:Namespace", "gatekeeper-namespace").inputs.metadata.labels;
        assert.equal(recording.get("kubernetes:core/v1:Namespace", "gatekeeper-namespace").inputs.metadata.name, "gatekeeper-system");
        assert.equal(labels["admission.gatekeeper.sh/ignore"], "no-self-managing");
        assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("installs the chart pinned in versions.ts into that namespace, with the CEL engine on", () => {
        const release = recording.get("kubernetes:helm.sh/v3:Release", "gatekeeper-release");
        assert.equal(gatekeeperChart.version, "3.23.0");
        assert.equal(release.inputs.chart, "gatekeeper");
        assert.equal(release.inputs.version, gatekeeperChart.version);
        assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://open-policy-agent.github.io/gatekeeper/charts" });
        assert.equal(release.inputs.namespace, "gatekeeper-system");
        assert.equal(release.inputs.createNamespace, false);
        assert.equal(release.inputs.values.enableK8sNativeValidation, true);
        assert.equal(release.inputs.values.postInstall.labelNamespace.enabled, false);
        assert.deepEqual(release.dependsOn, ["gatekeeper-namespace"]);
    });

    it("sizes its pods itself, so the platform's footprint does not depend on chart defaults", () => {
        const values = recording.get("kubernetes:helm.sh/v3:Release", "gatekeeper-release").inputs.values;
        assert.equal(values.replicas, 3);
        for (const part of ["controllerManager", "audit"]) {
            assert.deepEqual(values[part].resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } }, part);
        }
    });

    it("defines the ContainerResources template with the policy's own CEL and nothing else, once the chart is in", () => {
        const t = recording.get(template, "gatekeeper-container-resources");
        assert.equal(t.inputs.apiVersion, "templates.gatekeeper.sh/v1");
        assert.equal(t.inputs.metadata.name, "containerresources");
        assert.equal(t.inputs.spec.crd.spec.names.kind, "ContainerResources");
        const [target] = t.inputs.spec.targets;
        assert.equal(target.target, "admission.k8s.gatekeeper.sh");
        // One engine: with the CEL driver on, Gatekeeper would never run a Rego next to it.
        assert.deepEqual(target.code.map((c: any) => c.engine), ["K8sNativeValidation"]);
        assert.deepEqual(target.code[0].source, JSON.parse(JSON.stringify(celSource)));
        assert.deepEqual(t.dependsOn, ["gatekeeper-release"]);
    });

    it("has the ValidatingAdmissionPolicy Gatekeeper generates from the template fail closed, said in the template", () => {
        const [target] = recording.get(template, "gatekeeper-container-resources").inputs.spec.targets;
        assert.equal(target.code[0].source.failurePolicy, "Fail");
        // The chart's own defaults, which generate the policy and its bindings, are not overridden.
        const values = recording.get("kubernetes:helm.sh/v3:Release", "gatekeeper-release").inputs.values;
        assert.equal(values.defaultCreateVAPForTemplates, undefined);
        assert.equal(values.defaultCreateVAPBindingForConstraints, undefined);
        assert.equal(target.code[0].source.generateVAP, undefined);
    });

    it("is created only once Gatekeeper reports the constraint kind's CRD, so constraints need no retries", () => {
        const annotations = recording.get(template, "gatekeeper-container-resources").inputs.metadata.annotations;
        assert.equal(annotations["pulumi.com/waitFor"], "jsonpath={.status.created}=true");
    });
});
