// Stack configs for whole-program specs, including the committed example stack itself.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The config of Pulumi.<stack>.yaml as the Pulumi CLI hands it to the program. */
export function stackFile(stack: string): Record<string, unknown> {
    const file = path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`);
    return parse(fs.readFileSync(file, "utf8")).config;
}

export function withTeams(names: readonly string[], base: Record<string, unknown> = { "github:owner": "org" }): Record<string, unknown> {
    return { ...base, "platform:teams": names.map((name) => ({ name })) };
}
