"""Runs moto's server (same arguments as `python3 -m moto.server`) with its known departures from
AWS's published API models corrected, so the wire tests assert what AWS documents.

Each correction names the model it follows; nothing else of moto is changed.
"""
import functools
import inspect
import sys

import json

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

if __name__ == "__main__":
    main(sys.argv[1:])
