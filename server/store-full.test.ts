import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { AppError } from "@/server/errors";
import { describeStoreFull } from "./store-full";

const prismaError = (message: string, code?: string) => Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code });

describe("describeStoreFull", () => {
  it("says the store's disk is full, naming the directory and what to do, when SQLite reports it", () => {
    const err = describeStoreFull(prismaError("database or disk is full", "SQLITE_FULL"), tmpdir());
    expect(err).toBeInstanceOf(AppError);
    expect(err!.message).toMatch(new RegExp(`could not write to its store: the disk holding ${tmpdir()} is full \\(\\d+ KB free\\)`));
    expect(err!.message).toMatch(/Free space there/);
  });

  it("leaves other errors alone: a store error on a disk with room, a non-store error, an AppError", () => {
    expect(describeStoreFull(prismaError("cannot rollback - no transaction is active"), tmpdir())).toBeNull();
    expect(describeStoreFull(new Error("socket hang up"), tmpdir())).toBeNull();
    expect(describeStoreFull(new AppError("NOT_FOUND", "no such job"), tmpdir())).toBeNull();
  });
});
