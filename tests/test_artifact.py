"""The library as others use it: the Maven artifact (jar, sources, POM with licence, SCM, developers and URL) is
installed into a scratch local repository, and a scratch Maven project that depends on
org.promptlimits:promptlimits builds against it and runs a Lemma 2.2 check table from it.

Both builds read dependencies and plugins from the user's ~/.m2 as a file repository first (fast, no network
once the main build has run), then Maven Central; nothing is installed into ~/.m2 itself. The javadoc jar of
the release profile (mvn -Prelease) is left out here: it adds a minute to the test command and is built by the
release, not by the code a user depends on."""
from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, record

POM = "{http://maven.apache.org/POM/4.0.0}"
M2 = Path(os.environ.get("HOME", "~")).expanduser() / ".m2" / "repository"


def project_version() -> str:
    return ET.parse(ROOT / "pom.xml").getroot().find(f"{POM}version").text


def settings(tmp: Path) -> Path:
    local = tmp / "repository"
    repos = "".join(
        f"<{kind}><{kind[:-1]}><id>{rid}</id><url>{url}</url></{kind[:-1]}></{kind}>"
        for kind in ("repositories", "pluginRepositories")
        for rid, url in [("user-m2", M2.as_uri())])
    path = tmp / "settings.xml"
    path.write_text(f"""<settings><localRepository>{local}</localRepository>
<profiles><profile><id>user-m2</id>{repos}</profile></profiles>
<activeProfiles><activeProfile>user-m2</activeProfile></activeProfiles></settings>""")
    return path


def mvn(args: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(["mvn", "-B", "-ntp", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"mvn {' '.join(args)} failed in {cwd}:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    return done


CONSUMER_POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.example</groupId>
  <artifactId>uses-promptlimits</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.promptlimits</groupId>
      <artifactId>promptlimits</artifactId>
      <version>VERSION</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.6.1</version></plugin>
    </plugins>
  </build>
</project>
"""

CONSUMER_MAIN = """package org.example;

import org.promptlimits.check.CheckTable;
import org.promptlimits.contextual.ContextualMapping;
import org.promptlimits.contextual.Sequences;

public class Main {
    public static void main(String[] args) {
        double[][] vocabulary = {{1.0, 0.0}, {-1.8, 0.45}, {-0.65, -1.65}};
        CheckTable checks = ContextualMapping.construct(Sequences.allArrangements(vocabulary, 2, 100),
                ContextualMapping.Constants.EMPIRICAL).checks();
        System.out.println(checks);
        checks.assertAllHold();
    }
}
"""


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, Path]:
    """(settings.xml, local repository) with the artifact installed by `mvn install`."""
    tmp = tmp_path_factory.mktemp("artifact")
    s = settings(tmp)
    # The scratch repository holds fresh copies of every dependency jar, which the compiler's incremental mode
    # takes for changed dependencies: it would recompile the unchanged sources and rebuild target/promptlimits.jar
    # (and so make the notebook kernel reinstall). The plain staleness check still recompiles any changed source.
    mvn(["-s", str(s), "-q", "-DskipTests", "-Dmaven.compiler.useIncrementalCompilation=false", "install"], ROOT)
    return s, tmp / "repository"


def test_artifact_has_sources_and_publishing_metadata(scratch):
    _, local = scratch
    version = project_version()
    folder = local / "org" / "promptlimits" / "promptlimits" / version
    for suffix in (".jar", "-sources.jar", ".pom"):
        f = folder / f"promptlimits-{version}{suffix}"
        assert f.is_file() and f.stat().st_size > 0, f"missing {f.name} in the scratch repository"
    pom = ET.parse(folder / f"promptlimits-{version}.pom").getroot()
    assert pom.find(f"{POM}licenses/{POM}license/{POM}name").text == "Apache-2.0"
    assert pom.find(f"{POM}scm/{POM}url").text.startswith("https://github.com/")
    assert pom.find(f"{POM}developers/{POM}developer/{POM}name").text
    assert pom.find(f"{POM}url").text.startswith("https://")
    assert re.fullmatch(r"\d+\.\d+\.\d+(-SNAPSHOT)?", version), f"version {version} is not semantic"
    release = [p for p in pom.iter(f"{POM}profile") if p.find(f"{POM}id").text == "release"]
    assert release and any(a.text == "maven-javadoc-plugin" for a in release[0].iter(f"{POM}artifactId")), \
        "the release profile must attach the javadoc jar"


def test_a_maven_project_depending_on_the_library_runs_a_lemma_check(scratch, tmp_path):
    s, _ = scratch
    (tmp_path / "pom.xml").write_text(CONSUMER_POM.replace("VERSION", project_version()))
    main = tmp_path / "src" / "main" / "java" / "org" / "example" / "Main.java"
    main.parent.mkdir(parents=True)
    main.write_text(CONSUMER_MAIN)
    mvn(["-s", str(s), "-q", "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"], tmp_path)
    cp = (tmp_path / "target" / "classes").as_posix() + os.pathsep + (tmp_path / "cp.txt").read_text().strip()
    assert "promptlimits" in cp and str(tmp_path) in cp
    run = subprocess.run(["java", "-Djava.awt.headless=true", "--add-modules", "jdk.incubator.vector", "-cp", cp,
                          "org.example.Main"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert re.search(r"(\d+) of \1 checks hold", run.stdout), run.stdout[-2000:]
    record("artifact", ("scratch project ran Lemma 2.2 (EMPIRICAL):", run.stdout.strip().splitlines()[-1]))


def test_citation_names_the_paper_and_the_project_version():
    import yaml
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == project_version()
    paper = cff["preferred-citation"]
    assert paper["title"] == "Fundamental Limits of Prompt Tuning Transformers: Universality, Capacity and Efficiency"
    assert [a["family-names"] for a in paper["authors"]] == ["Hu", "Wang", "Gilani", "Li", "Song", "Liu"]
    assert "2411.16525" in paper["url"] and paper["year"] == 2025
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence[:200] and "Version 2.0, January 2004" in licence[:300]
    assert "CC BY 4.0" in (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
