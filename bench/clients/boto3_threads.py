#!/usr/bin/env python3
"""boto3's thread-based download (what client.download_file runs), default TransferConfig.

client.download_file blocks per object; to submit a workload at once like the other peers, this
uses the same machinery download_file uses, boto3.s3.transfer.create_transfer_manager with a
default TransferConfig (10 threads, 8 MiB threshold/chunks), one shared manager."""
import boto3, botocore.config
from boto3.s3.transfer import TransferConfig, create_transfer_manager
from common import args

endpoint, objs = args()
client = boto3.session.Session().client(
    "s3", endpoint_url=endpoint, region_name="us-east-1",
    config=botocore.config.Config(s3={"addressing_style": "path"}))
with create_transfer_manager(client, TransferConfig()) as manager:
    futures = [manager.download(b, k, dest) for b, k, _, dest in objs]
    for f in futures:
        f.result()
