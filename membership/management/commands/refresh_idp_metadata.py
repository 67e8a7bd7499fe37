"""Refresh the IdP metadata that ships with the project from a registry feed.

    manage.py refresh_idp_metadata --kind spid entities-idp.xml
    manage.py refresh_idp_metadata --kind cie idserver-metadata.xml

FILE is an aggregated ``md:EntitiesDescriptor`` (the SPID registry's entities-idp feed) or a
single ``md:EntityDescriptor`` (the CIE IdP). Everything is validated before anything is
written; then one file per IdP is written to ``membership/idp_metadata/<kind>/`` and files of
IdPs no longer in the feed are removed (``--keep`` keeps them). Running it twice changes
nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership import idp_registry


class Command(BaseCommand):
    help = "Validate IdP metadata (aggregate or single entity) and write one file per IdP."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=idp_registry.KINDS)
        parser.add_argument(
            "file", help="EntitiesDescriptor or EntityDescriptor XML file ('-' for stdin)"
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep files of IdPs that are not in FILE (for a single-IdP update).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, write nothing."
        )
        parser.add_argument(
            "--directory",
            help="Write here instead of the project's membership/idp_metadata/<kind>/.",
        )

    def handle(self, *args, kind, file, keep, dry_run, directory, **options):
        if file == "-":
            import sys

            data = sys.stdin.buffer.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"{file}: no such file")
            data = path.read_bytes()
        try:
            entities = idp_registry.parse_metadata(data)
        except idp_registry.MetadataError as error:
            raise CommandError(f"invalid IdP metadata: {error}") from error

        target = Path(directory) if directory else idp_registry.metadata_dir(kind)
        wanted = {idp_registry.file_name(item.entity_id): item for item in entities}
        if len(wanted) != len(entities):
            raise CommandError("two entity IDs map to the same file name")
        existing = {p.name: p for p in target.glob("*.xml")} if target.is_dir() else {}

        added, updated, unchanged = [], [], []
        for name, item in sorted(wanted.items()):
            current = existing.get(name)
            if current is None:
                added.append(item.entity_id)
            elif current.read_bytes() != item.xml:
                updated.append(item.entity_id)
            else:
                unchanged.append(item.entity_id)
        removed = [] if keep else sorted(set(existing) - set(wanted))

        if not dry_run:
            target.mkdir(parents=True, exist_ok=True)
            for name, item in wanted.items():
                destination = target / name
                if destination.exists() and destination.read_bytes() == item.xml:
                    continue
                temporary = destination.with_suffix(".xml.tmp")
                temporary.write_bytes(item.xml)
                temporary.replace(destination)
            for name in removed:
                existing[name].unlink()

        def report(label, items):
            for item in items:
                self.stdout.write(f"  {label}: {item}")

        report("added", added)
        report("updated", updated)
        report("removed", [existing[name].name for name in removed])
        prefix = "Would write" if dry_run else "Done"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix} ({kind}, {target}): {len(added)} added, {len(updated)} updated, "
                f"{len(removed)} removed, {len(unchanged)} unchanged."
            )
        )
