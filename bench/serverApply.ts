// The bench's stack on a real API server, in a fresh process: starts the cluster tier's control
// plane (the newest pinned Kubernetes), applies every Kubernetes object of a recording made by
// `measure.ts --shapes` as `pulumi up` would (server-side apply, each resource once those it
// depends on are done, `--parallel` at a time), counts the objects by team and stops the server.
//   bench/serverApply.ts --shapes FILE --teams N [--parallel P]
// Prints one JSON line (ServerApply, serverReport.ts).
import * as fs from "fs";
import * as os from "os";
import { kubernetesVersions } from "../components/shared/versions";
import { Applier, Expand } from "../test/cluster/applyStack";
import { admin, ControlPlane } from "../test/cluster/controlPlane";
import { expandFor } from "../test/cluster/expand";
import { teamName } from "./benchConfig";
import { RecordedRegistration } from "./recordedRegistration";
import { ServerApply } from "./serverReport";
import { ObjectKey, objectsByTeam, TeamCount, toApplied } from "./teamObjects";

function flag(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
    const shapes = flag("--shapes");
    const teams = Number(flag("--teams"));
    if (!shapes || !(teams > 0)) {
        throw new Error("usage: serverApply.ts --shapes FILE --teams N [--parallel P]");
    }
    const parallel = Number(flag("--parallel") ?? 16);
    const resources = toApplied(JSON.parse(fs.readFileSync(shapes, "utf8")) as RecordedRegistration[]);
    const version = kubernetesVersions.newest;
    const expand = expandFor(version);
    // The objects as the Applier sends them, to be counted by team.
    const sent: ObjectKey[] = [];
    const counting: Expand = (created, object) => {
        const expansion = expand(created, object);
        sent.push(...[...expansion.objects, ...(expansion.made ?? [])] as ObjectKey[]);
        return expansion;
    };
    const load = os.loadavg()[0];
    const begun = Date.now();
    const plane = await ControlPlane.start(version);
    try {
        const startMs = Date.now() - begun;
        const applier = new Applier(plane.as(admin));
        const report = await applier.applyRecording({ resources }, counting, { parallel });
        const scope = new Map<string, boolean>();
        for (const o of sent) {
            const key = `${o.apiVersion}/${o.kind}`;
            if (!scope.has(key)) scope.set(key, (await applier.mapper.mapping(o.apiVersion, o.kind)).namespaced);
        }
        const names = Array.from({ length: teams }, (_, i) => teamName(i));
        const counted = objectsByTeam(sent, names, (o) => scope.get(`${o.apiVersion}/${o.kind}`)!);
        const distinct = new Map<string, TeamCount & { teams: number }>();
        for (const count of counted.byTeam.values()) {
            const key = `${count.inNamespace}/${count.clusterScoped}`;
            const known = distinct.get(key) ?? { ...count, teams: 0 };
            distinct.set(key, { ...known, teams: known.teams + 1 });
        }
        const result: ServerApply = {
            version, teams, parallel, resources: resources.length, applied: report.applied, refused: report.refused,
            applyMs: report.ms, startMs, cores: os.cpus().length, load, perTeam: [...distinct.values()], shared: counted.shared,
        };
        process.stdout.write(JSON.stringify(result) + "\n");
    } finally {
        plane.stop();
    }
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
