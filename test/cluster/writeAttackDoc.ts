// `npm run docs:attacks`: applies the example stack to a real API server of each tested version,
// sends every attack of the kit's table as its principal, and writes the block of
// docs/fence.md from the servers' answers.
import { Cluster } from "../kit/cluster";
import { writeBlock } from "../kit/generatedBlock";
import { attackDocCommand, attackDocPath, renderAttackBlock } from "./attackDoc";
import { ControlPlane, testedVersions } from "./controlPlane";
import { attacksOnServer, exampleOnServer } from "./exampleOnServer";
import { ServerVerdict } from "./replay";

async function main(): Promise<void> {
    const answers = new Map<string, ServerVerdict[]>();
    let kit: Cluster | undefined;
    for (const version of testedVersions()) {
        const plane = await ControlPlane.start(version);
        try {
            const example = await exampleOnServer(plane);
            kit = example.kit;
            answers.set(version, await attacksOnServer(example));
        } finally {
            plane.stop();
        }
    }
    if (kit === undefined) {
        throw new Error("no Kubernetes version to test");
    }
    writeBlock(attackDocPath, attackDocCommand, renderAttackBlock(kit, answers));
    for (const [version, verdicts] of answers) {
        console.log(`${attackDocPath}: Kubernetes ${version}: ${verdicts.length} attacks tried, ${verdicts.filter((v) => !v.allowed).length} denied`);
    }
}

main().then(() => process.exit(0), (error: unknown) => {
    console.error(error);
    process.exit(1);
});
