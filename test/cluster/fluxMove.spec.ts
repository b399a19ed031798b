// Moving a team from Flux v1 to Flux v2 keeps its image updates only as docs/engines.md step 1
// says: fluxd keeps them in flux-patch.yaml, a strategic merge patch over its kustomize build
// (fluxd 1.25.4 pkg/manifests/configfile.go getGeneratedAndPatchedManifests; the patch from
// pkg/cluster/kubernetes/patch.go getPatch, strategicpatch.CreateTwoWayMergePatch, which writes
// `$setElementOrder` directives), and Flux v2 builds only kustomization.yaml with kustomize api
// v0.21.1 and applies the result server-side. Built with that kustomize, sent to the real server.
import { strict as assert } from "assert";
import { parseAllDocuments } from "yaml";
import { teamRepoLayout } from "../../components/engines/flux1/repoLayout";
import { admin } from "./controlPlane";
import { controlPlane } from "./fixture";
import { kustomizeBuild } from "./kustomize";

const version = "1.37.2";

const workload = [
    "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: podinfo", "spec:",
    "  selector: {matchLabels: {app: podinfo}}", "  template:", "    metadata: {labels: {app: podinfo}}", "    spec:", "      containers:",
    "        - {name: podinfo, image: ghcr.io/stefanprodan/podinfo:6.0.0}", "        - {name: sidecar, image: busybox:1.36}", "",
].join("\n");

/** What fluxd writes to flux-patch.yaml after an automated update of podinfo to 6.1.0 (getPatch: the two-way merge patch with identifying data). */
const fluxdPatch = [
    "---", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  annotations:", "    fluxcd.io/automated: \"true\"", "  name: podinfo", "spec:",
    "  template:", "    spec:", "      $setElementOrder/containers:", "      - name: podinfo", "      - name: sidecar", "      containers:",
    "      - image: ghcr.io/stefanprodan/podinfo:6.1.0", "        name: podinfo", "",
].join("\n");

/** The team's repo as the program starts it for Flux v1, with a workload and fluxd's patch, and its kustomization.yaml as `kustomization`. */
function repo(kustomization: string, patch = fluxdPatch): Record<string, string> {
    return { ...teamRepoLayout(""), "podinfo.yaml": workload, "flux-patch.yaml": patch, "kustomization.yaml": kustomization };
}

const imagesOf = (yaml: string) => parseAllDocuments(yaml).flatMap((d) => ((d.toJS()).spec.template.spec.containers as { image: string }[]).map((c) => c.image));

async function serverSideApply(yaml: string) {
    const plane = await controlPlane(version);
    const [object] = parseAllDocuments(yaml).map((d) => d.toJS());
    return plane.as(admin).request("PATCH",
        `/apis/apps/v1/namespaces/default/deployments/${object.metadata.name}?fieldManager=kustomize-controller&force=true&dryRun=All`,
        { ...object, metadata: { ...object.metadata, namespace: "default" } }, "apply");
}

describe("moving a Flux v1 team to Flux v2 keeps its image updates (docs/engines.md, step 1; test/cluster)", function () {
    this.timeout(300_000);

    it("the images fluxd deployed, pinned in kustomization.yaml's images, are what Flux v2 builds and the server takes", async () => {
        const built = kustomizeBuild(repo([
            "resources:", "  - podinfo.yaml", "images:", "  - name: ghcr.io/stefanprodan/podinfo", "    newTag: 6.1.0", "",
        ].join("\n")));
        assert.equal(built.error, undefined);
        assert.deepEqual(imagesOf(built.output!), ["ghcr.io/stefanprodan/podinfo:6.1.0", "busybox:1.36"]);
        const answer = await serverSideApply(built.output!);
        assert.ok(answer.status === 200 || answer.status === 201, JSON.stringify(answer.body));
    });

    it("without the pin, Flux v2 rolls the workload back to its base image", () => {
        const built = kustomizeBuild(repo(["resources:", "  - podinfo.yaml", ""].join("\n")));
        assert.deepEqual(imagesOf(built.output!), ["ghcr.io/stefanprodan/podinfo:6.0.0", "busybox:1.36"]);
    });

    it("listing flux-patch.yaml as a patch instead carries fluxd's directive into the object, which the server refuses", async () => {
        const built = kustomizeBuild(repo(["resources:", "  - podinfo.yaml", "patches:", "  - path: flux-patch.yaml", ""].join("\n")));
        assert.equal(built.error, undefined);
        assert.match(built.output!, /\$setElementOrder\/containers/);
        const answer = await serverSideApply(built.output!);
        assert.equal(answer.status, 500);
        assert.match(JSON.stringify(answer.body), /\$setElementOrder\/containers: field not declared in schema/);
    });

    it("the starting layout's flux-patch.yaml, comments only, is no patch to this kustomize: listed, it changes nothing", () => {
        const starting = teamRepoLayout("")["flux-patch.yaml"];
        const built = kustomizeBuild(repo(["resources:", "  - podinfo.yaml", "patches:", "  - path: flux-patch.yaml", ""].join("\n"), starting));
        assert.equal(built.error, undefined);
        assert.deepEqual(imagesOf(built.output!), ["ghcr.io/stefanprodan/podinfo:6.0.0", "busybox:1.36"]);
    });
});
