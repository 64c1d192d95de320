"""Runs moto's server (same arguments as `python3 -m moto.server`) with its known departures from
AWS's published API models corrected, so the wire tests assert what AWS documents, and two moto bugs
that stop a CDK deploy worked around (at the end of this file; `npm run deploy:emulator`).

Each correction names the model it follows; nothing else of moto is changed.
"""
import functools
import inspect
import os
import signal
import sys


def _die_with_parent() -> None:
    """On Linux, ends this server when the process that started it dies (a test worker killed mid-run).

    Set before moto is imported (a second or more), and a parent already gone by then ends it at once.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:
        sys.exit(0)


_die_with_parent()

import json  # noqa: E402 (moto loads after the parent-death signal is set)
from urllib.parse import urlparse  # noqa: E402

from moto.cloudformation import models as cfn_models
from moto.cloudformation import responses as cfn_responses
from moto.cloudformation import utils as cfn_utils
from moto.events import models as events_models
from moto.events import utils as events_utils
from moto.events.exceptions import ValidationException
from moto.glue import models as glue_models
from moto.sagemaker import models as sagemaker_models
from moto.sagemaker.exceptions import MissingModel, ResourceInUseException
from moto.server import main

# Glue GetCrawler: Crawler.LastCrawl.Status is a LastCrawlStatus, one of SUCCEEDED | CANCELLED | FAILED
# (botocore glue/2017-03-31 service-2.json). moto 5.2.1 reports the crawl's CrawlState (COMPLETED,
# STOPPED), which belongs to ListCrawls/GetCrawls, not to LastCrawlInfo.
_LAST_CRAWL_STATUS = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}
_crawler_as_dict = glue_models.FakeCrawler.as_dict


def _documented_crawler_as_dict(self):  # type: ignore[no-untyped-def]
    data = _crawler_as_dict(self)
    last = data.get("LastCrawl")
    if last is not None:
        last["Status"] = _LAST_CRAWL_STATUS.get(last["Status"], last["Status"])
    return data


glue_models.FakeCrawler.as_dict = _documented_crawler_as_dict

# Glue CreateTable: "TableInput.Name: The table name. For Hive compatibility, this is folded to lowercase
# when it is stored" (and GetTable, UpdateTable, partitions … find it by any case). moto 5.2.1 keeps
# the name's case and matches it exactly. Every backend method taking a table_name folds it.
def _folding(method):  # type: ignore[no-untyped-def]
    position = list(inspect.signature(method).parameters).index("table_name")

    @functools.wraps(method)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if "table_name" in kwargs and isinstance(kwargs["table_name"], str):
            kwargs["table_name"] = kwargs["table_name"].lower()
        elif len(args) > position and isinstance(args[position], str):
            args = (*args[:position], args[position].lower(), *args[position + 1 :])
        return method(*args, **kwargs)

    return wrapper


for _name, _method in list(vars(glue_models.GlueBackend).items()):
    if callable(_method) and "table_name" in inspect.signature(_method).parameters:
        setattr(glue_models.GlueBackend, _name, _folding(_method))

_table_as_dict = glue_models.FakeTable.as_dict


def _folded_table_as_dict(self, version=None):  # type: ignore[no-untyped-def]
    return {**_table_as_dict(self, version), "Name": self.name}


glue_models.FakeTable.as_dict = _folded_table_as_dict

# EventBridge PutEvents: "the total entry size must be less than 256KB" per request, sized as
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html (14 bytes for Time,
# plus the UTF-8 bytes of Source, DetailType, Detail and each Resources string), else the whole request
# fails with ValidationException; and "Detail: a valid JSON object" (PutEventsRequestEntry), so an entry
# whose Detail is JSON but not an object fails alone with MalformedDetail. moto 5.2.1 checks neither.
_MAX_REQUEST_BYTES = 256 * 1024
_put_events = events_models.EventsBackend.put_events


def _entry_size(entry):  # type: ignore[no-untyped-def]
    size = 14 if entry.get("Time") is not None else 0
    for field in ("Source", "DetailType", "Detail"):
        size += len((entry.get(field) or "").encode("utf-8"))
    return size + sum(len(r.encode("utf-8")) for r in entry.get("Resources") or [])


def _non_object_detail(entry):  # type: ignore[no-untyped-def]
    if not (entry.get("Source") and entry.get("DetailType") and entry.get("Detail")):
        return False
    try:
        return not isinstance(json.loads(entry["Detail"]), dict)
    except ValueError:
        return False


def _documented_put_events(self, events):  # type: ignore[no-untyped-def]
    if len(events) <= 10 and sum(_entry_size(e) for e in events) > _MAX_REQUEST_BYTES:
        raise ValidationException("Total size of the entries in the request is over the limit.")
    valid = [e for e in events if not _non_object_detail(e)]
    results = iter(_put_events(self, valid) if valid else [])
    return [{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."} if _non_object_detail(e) else next(results) for e in events]


events_models.EventsBackend.put_events = _documented_put_events

# EventBridge targets receive the whole event: version, id, detail-type, source, account, time, region,
# resources, detail (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html).
# moto 5.2.1's default template leaves `account` out. Without an input transformer the event is passed
# as it is, minus moto's own `ingestion-time`.
_ENVELOPE = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")
_parse_template = events_utils.EventTemplateParser.parse


def _documented_parse(input_template, input_paths_map, event):  # type: ignore[no-untyped-def]
    if input_template is None and not input_paths_map:
        return {k: event[k] for k in _ENVELOPE if k in event}
    return _parse_template(input_template, input_paths_map, event)


events_utils.EventTemplateParser.parse = staticmethod(_documented_parse)
events_models.EventTemplateParser.parse = staticmethod(_documented_parse)

# SageMaker CreateTransformJob: "The name must be unique within an Amazon Web Services Region in an
# Amazon Web Services account" (ResourceInUse names the existing job's ARN), and ModelName "must be the
# name of an existing Amazon SageMaker model" (ValidationException "Could not find model"). moto 5.2.1
# silently replaces a job of the same name and accepts any model name.
_create_transform_job = sagemaker_models.SageMakerModelBackend.create_transform_job


def _documented_create_transform_job(self, transform_job_name, model_name, *args, **kwargs):  # type: ignore[no-untyped-def]
    existing = self.transform_jobs.get(transform_job_name)
    if existing is not None:
        raise ResourceInUseException(f"Job name must be unique within an AWS account and region, and a job with this name already exists ({existing.arn})")
    if model_name not in self._models:
        raise MissingModel(f"arn:aws:sagemaker:{self.region_name}:{self.account_id}:model/{model_name}")
    return _create_transform_job(self, transform_job_name, model_name, *args, **kwargs)


sagemaker_models.SageMakerModelBackend.create_transform_job = _documented_create_transform_job

# moto bug: CloudFormation's AWS::Events::Archive passes its EventPattern to the events backend as it
# comes; an object (as CDK writes it, and as CloudFormation accepts it) crashes moto 5.2.1's pattern
# parser. The pattern is handed over as the JSON text the API takes.
def _pattern_as_text(cloudformation_json):  # type: ignore[no-untyped-def]
    properties = dict(cloudformation_json.get("Properties") or {})
    if isinstance(properties.get("EventPattern"), dict):
        properties["EventPattern"] = json.dumps(properties["EventPattern"])
    return {**cloudformation_json, "Properties": properties}


_archive_create = events_models.Archive.create_from_cloudformation_json.__func__
_archive_update = events_models.Archive.update_from_cloudformation_json.__func__


def _archive_create_fixed(cls, resource_name, cloudformation_json, *args, **kwargs):  # type: ignore[no-untyped-def]
    return _archive_create(cls, resource_name, _pattern_as_text(cloudformation_json), *args, **kwargs)


def _archive_update_fixed(cls, original, new_name, cloudformation_json, *args, **kwargs):  # type: ignore[no-untyped-def]
    return _archive_update(cls, original, new_name, _pattern_as_text(cloudformation_json), *args, **kwargs)


events_models.Archive.create_from_cloudformation_json = classmethod(_archive_create_fixed)
events_models.Archive.update_from_cloudformation_json = classmethod(_archive_update_fixed)

# moto bug: `Ref` of an AWS::Events::EventBus is its name (CloudFormation's resource reference); moto
# 5.2.1 gives the bus no physical id, so a Ref hands the Python object to the rule, which crashes.
events_models.EventBus.physical_resource_id = property(lambda self: self.name)
# Likewise `Ref` of an AWS::Events::Archive is its name; moto 5.2.1 gives the archive no physical id.
events_models.Archive.physical_resource_id = property(lambda self: self.name)

# moto bug: a TemplateURL on moto's own endpoint (http://127.0.0.1:PORT/bucket/key, what the CDK CLI
# sends when AWS_ENDPOINT_URL points at moto) is read path-style only for "localhost"; with an IP the
# host's first label ("127") is taken for the bucket. Any host that is not an S3 virtual host is read path-style.
_get_stack_from_s3_url = cfn_utils.get_stack_from_s3_url


def _get_stack_from_s3_url_fixed(template_url, account_id, partition):  # type: ignore[no-untyped-def]
    host = urlparse(template_url).hostname or ""
    if host.replace(".", "").isdigit():
        template_url = template_url.replace(f"//{urlparse(template_url).netloc}", "//localhost", 1)
    return _get_stack_from_s3_url(template_url, account_id, partition)


cfn_utils.get_stack_from_s3_url = _get_stack_from_s3_url_fixed
cfn_responses.get_stack_from_s3_url = _get_stack_from_s3_url_fixed
cfn_models.get_stack_from_s3_url = _get_stack_from_s3_url_fixed

if __name__ == "__main__":
    main(sys.argv[1:])
