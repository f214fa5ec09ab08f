import { describe, expect, it } from "vitest";
import { artifactUri } from "./artifact-uri.js";

describe("artifactUri", () => {
  it("handles relative, absolute and Windows paths", () => {
    expect(artifactUri("models/a.yaml")).toEqual({ uri: "models/a.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactUri("./models/../a.yaml")).toEqual({ uri: "a.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactUri("/abs/a.yaml")).toEqual({ uri: "file:///abs/a.yaml" });
    expect(artifactUri("models/a.yaml", ".")).toEqual({
      uri: "models/a.yaml",
      uriBaseId: "%SRCROOT%",
    });
    expect(artifactUri("models/a.yaml", "models")).toEqual({
      uri: "a.yaml",
      uriBaseId: "%SRCROOT%",
    });
    expect(artifactUri("C:\\repo\\models\\a b.yaml", "C:\\repo")).toEqual({
      uri: "models/a%20b.yaml",
      uriBaseId: "%SRCROOT%",
    });
    expect(artifactUri("D:\\other\\a.yaml", "C:\\repo")).toEqual({
      uri: "file:///D:/other/a.yaml",
    });
    expect(artifactUri("../up.yaml", ".")).toEqual({ uri: "../up.yaml", uriBaseId: "%SRCROOT%" });
    expect(artifactUri("/repo-other/a.yaml", "/repo")).toEqual({
      uri: "file:///repo-other/a.yaml",
    });
  });
});
