// The add-on contract (components/shared/addon.ts) as Team and the templates use it: an add-on
// the platform core has never heard of gets its part of each team's fence, its objects in the
// team's namespace and its files in a new team repo, named and parented as the contract says,
// through the hooks alone. Flagger and Gatekeeper are held to the same hooks.
import { strict as assert } from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addons, everyAddonTraits, InstalledAddon } from "../../components/addons/registry";
import { Team } from "../../components/platform/team";
import { teamName } from "../../config/rules";
import { record } from "../kit/harness";
import { teamArgs, teamSettings } from "../kit/teamFixture";

/** An add-on of a test's own, on the contract alone. */
function extraAddon(): InstalledAddon {
    const traits = { namespace: "extra-system", teamKinds: [] };
    return {
        addon: "flagger", traits, namespace: pulumi.output("extra-system"), parts: [], statusGroups: [],
        teamRepo: () => ({ variant: "extra", files: (path) => ({ [path === "" ? "extra.txt" : `${path}/extra.txt`]: "extra\n" }) }),
        teamFence: (fence, team, opts) => new k8s.core.v1.ConfigMap(`${fence.name}-extra`, {
            metadata: { name: "extra-fence", namespace: fence.namespace, labels: { ...fence.labels } }, data: { team: team.name },
        }, opts),
        teamPart: (name, team, opts) => new k8s.core.v1.ConfigMap(`${name}-extra`, {
            metadata: { name: "extra-part", namespace: team.namespace }, data: { team: team.name },
        }, opts),
    };
}

const configMap = "kubernetes:core/v1:ConfigMap";

describe("the add-on contract", () => {
    it("gives an add-on its part of the team's fence, under the fence, labelled as the fence and waiting for the namespace only", async () => {
        const { recording } = await record(() => new Team("team1", teamArgs(teamSettings, { addons: [extraAddon()] })));
        const part = recording.get(configMap, "team1-policy-extra");
        assert.equal(part.parent, "team1-policy");
        assert.equal(part.inputs.metadata.namespace, "team1");
        assert.equal(part.inputs.metadata.labels["app.kubernetes.io/name"], "tenant-policy");
        assert.equal(part.inputs.metadata.labels["gitops-platform/team"], "team1");
        assert.ok(!part.dependsOn.includes("team1-policy-custom-quota"), part.dependsOn.join(", "));
    });

    it("gives an add-on its objects in the team's namespace, under the Team, once the quota counts the installed kinds", async () => {
        const { recording } = await record(() => new Team("team1", teamArgs(teamSettings, { addons: [extraAddon()] })));
        const part = recording.get(configMap, "team1-extra");
        assert.equal(part.parent, "team1");
        assert.equal(part.inputs.metadata.namespace, "team1");
        assert.ok(part.dependsOn.includes("team1-policy-custom-quota"), part.dependsOn.join(", "));
    });

    it("adds an add-on's files to a new team repo, after the engine's, and names the template by them", async () => {
        const plain = (await record(() => new Team("team1", teamArgs(teamSettings)))).recording;
        const extra = (await record(() => new Team("team1", teamArgs(teamSettings, { addons: [extraAddon()] })))).recording;
        const files = (r: typeof plain) => r.ofType("github:index/repositoryFile:RepositoryFile").map((f) => f.inputs.file as string);
        assert.deepEqual(files(extra), [...files(plain), "deploy/extra.txt"]);
        const template = (r: typeof plain) => r.ofType("github:index/repository:Repository").find((t) => t.name !== "team1-repo-repo")!.inputs.name;
        assert.notEqual(template(extra), template(plain));
    });

    it("holds Flagger and Gatekeeper to the same hooks: the constraint in the fence, the AlertProvider in the team's namespace", async () => {
        const webhook = pulumi.secret("https://hooks.slack.com/services/T0/B0/team1");
        const settings = { ...teamSettings, slack: { ...teamSettings.slack, webhook } };
        const { recording } = await record(() => new Team("team1", teamArgs(settings, { flagger: true })));
        assert.equal(recording.get("kubernetes:constraints.gatekeeper.sh/v1beta1:ContainerResources", "team1-policy-container-resources").parent, "team1-policy");
        assert.equal(recording.get("platform:index:TeamAlerts", "team1-alerts").parent, "team1");
        const off = { ...settings, fence: { ...settings.fence, policies: { containerResources: false } }, slack: teamSettings.slack };
        const without = (await record(() => new Team("team1", teamArgs(off, { flagger: true })))).recording;
        assert.equal(without.resources.filter((r) => r.name === "team1-policy-container-resources" || r.name === "team1-alerts").length, 0);
    });

    it("lists every add-on in the registry, in install order, and refuses each one's namespace as a team name", () => {
        assert.deepEqual(Object.keys(addons), ["gatekeeper", "flagger"]);
        for (const traits of everyAddonTraits()) {
            assert.match(teamName(traits.namespace) ?? "", /is reserved/, traits.namespace);
        }
    });
});
