/**
 * Failures as the real node (Elasticsearch 8.19, `scripts/elasticsearch.sh`) answered them, captured by
 * provoking each state on indices of their own; only the random index prefix (now `shop`), index uuids and
 * node ids were replaced. `failures.int.spec.ts` provokes the same states again and checks that the node
 * still answers with these statuses and error types, so the unit spec's shapes cannot drift from the server's.
 *
 * The two `…ShardRecovering` shapes were caught in the second after an index was reopened (its shard still
 * recovering, as on a node that has just restarted): a window too short to provoke reliably in a spec.
 *
 * `thrown`: errors as the client throws them (ResponseError: status and body; others: name and message).
 * `items`: one document's failure inside a 200 answer (a bulk item's status and error, an mget document's
 * error, which has no status).
 */

export const capturedThrown = {
  "searchShardRecovering": {
    "name": "ResponseError",
    "statusCode": 503,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "no_shard_available_action_exception",
            "reason": "[hindsight-local-9200][127.0.0.1:9300][indices:data/read/search[phase/query]]"
          }
        ],
        "type": "search_phase_execution_exception",
        "reason": "all shards failed",
        "phase": "query",
        "grouped": true,
        "failed_shards": [
          {
            "shard": 0,
            "index": "shop_products_v1",
            "node": "Hc1p_2eWRiCqw0cG1sBcgQ",
            "reason": {
              "type": "no_shard_available_action_exception",
              "reason": "[hindsight-local-9200][127.0.0.1:9300][indices:data/read/search[phase/query]]"
            }
          }
        ]
      },
      "status": 503
    }
  },
  "searchMissingIndex": {
    "name": "ResponseError",
    "statusCode": 404,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "index_not_found_exception",
            "reason": "no such index [shop_gone]",
            "resource.type": "index_or_alias",
            "resource.id": "shop_gone",
            "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
            "index": "shop_gone"
          }
        ],
        "type": "index_not_found_exception",
        "reason": "no such index [shop_gone]",
        "resource.type": "index_or_alias",
        "resource.id": "shop_gone",
        "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
        "index": "shop_gone"
      },
      "status": 404
    }
  },
  "searchRefusedQuery": {
    "name": "ResponseError",
    "statusCode": 400,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "illegal_argument_exception",
            "reason": "Fielddata is disabled on [t] in [shop_products_v1]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [t] in order to load field data by uninverting the inverted index. Note that this can use significant memory."
          }
        ],
        "type": "search_phase_execution_exception",
        "reason": "all shards failed",
        "phase": "query",
        "grouped": true,
        "failed_shards": [
          {
            "shard": 0,
            "index": "shop_products_v1",
            "node": "Hc1p_2eWRiCqw0cG1sBcgQ",
            "reason": {
              "type": "illegal_argument_exception",
              "reason": "Fielddata is disabled on [t] in [shop_products_v1]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [t] in order to load field data by uninverting the inverted index. Note that this can use significant memory."
            }
          }
        ],
        "caused_by": {
          "type": "illegal_argument_exception",
          "reason": "Fielddata is disabled on [t] in [shop_products_v1]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [t] in order to load field data by uninverting the inverted index. Note that this can use significant memory.",
          "caused_by": {
            "type": "illegal_argument_exception",
            "reason": "Fielddata is disabled on [t] in [shop_products_v1]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [t] in order to load field data by uninverting the inverted index. Note that this can use significant memory."
          }
        }
      },
      "status": 400
    }
  },
  "searchClosedIndex": {
    "name": "ResponseError",
    "statusCode": 400,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "index_closed_exception",
            "reason": "closed",
            "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
            "index": "shop_products_v1"
          }
        ],
        "type": "index_closed_exception",
        "reason": "closed",
        "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
        "index": "shop_products_v1"
      },
      "status": 400
    }
  },
  "indexFloodStageBlock": {
    "name": "ResponseError",
    "statusCode": 429,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "cluster_block_exception",
            "reason": "index [shop_products_v1] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block; for more information, see https://www.elastic.co/guide/en/elasticsearch/reference/8.19/fix-watermark-errors.html];"
          }
        ],
        "type": "cluster_block_exception",
        "reason": "index [shop_products_v1] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block; for more information, see https://www.elastic.co/guide/en/elasticsearch/reference/8.19/fix-watermark-errors.html];"
      },
      "status": 429
    }
  },
  "searchReadBlock": {
    "name": "ResponseError",
    "statusCode": 403,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "cluster_block_exception",
            "reason": "index [shop_products_v1] blocked by: [FORBIDDEN/7/index read (api)];"
          }
        ],
        "type": "cluster_block_exception",
        "reason": "index [shop_products_v1] blocked by: [FORBIDDEN/7/index read (api)];"
      },
      "status": 403
    }
  },
  "searchNoShard": {
    "name": "ResponseError",
    "statusCode": 503,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "no_shard_available_action_exception",
            "reason": null
          }
        ],
        "type": "search_phase_execution_exception",
        "reason": "all shards failed",
        "phase": "query",
        "grouped": true,
        "failed_shards": [
          {
            "shard": 0,
            "index": "shop_orders_v1",
            "node": null,
            "reason": {
              "type": "no_shard_available_action_exception",
              "reason": null
            }
          }
        ]
      },
      "status": 503
    }
  },
  "getNoShard": {
    "name": "ResponseError",
    "statusCode": 503,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "no_shard_available_action_exception",
            "reason": "No shard available for [get [shop_orders_v1][1]: routing [null]]"
          }
        ],
        "type": "no_shard_available_action_exception",
        "reason": "No shard available for [get [shop_orders_v1][1]: routing [null]]"
      },
      "status": 503
    }
  },
  "requestTimeout": {
    "name": "TimeoutError",
    "message": "Request timed out"
  },
  "connectionRefused": {
    "name": "ConnectionError",
    "message": "connect ECONNREFUSED 127.0.0.1:1"
  },
  "searchCircuitBreaker": {
    "name": "ResponseError",
    "statusCode": 429,
    "body": {
      "error": {
        "root_cause": [
          {
            "type": "circuit_breaking_exception",
            "reason": "[request] Data too large, data for [preallocate[aggregations]] would be [6144/6kb], which is larger than the limit of [1/1b]",
            "bytes_wanted": 6144,
            "bytes_limit": 1,
            "durability": "TRANSIENT"
          }
        ],
        "type": "search_phase_execution_exception",
        "reason": "all shards failed",
        "phase": "query",
        "grouped": true,
        "failed_shards": [
          {
            "shard": 0,
            "index": "shop_products_v1",
            "node": "Hc1p_2eWRiCqw0cG1sBcgQ",
            "reason": {
              "type": "circuit_breaking_exception",
              "reason": "[request] Data too large, data for [preallocate[aggregations]] would be [6144/6kb], which is larger than the limit of [1/1b]",
              "bytes_wanted": 6144,
              "bytes_limit": 1,
              "durability": "TRANSIENT"
            }
          }
        ]
      },
      "status": 429
    }
  }
} as const;

export const capturedItems = {
  "mgetShardRecovering": {
    "status": null,
    "error": {
      "root_cause": [
        {
          "type": "illegal_index_shard_state_exception",
          "reason": "CurrentState[RECOVERING] operations only allowed when shard state is one of [POST_RECOVERY, STARTED]",
          "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
          "shard": "0",
          "index": "shop_products_v1"
        }
      ],
      "type": "no_shard_available_action_exception",
      "reason": "No shard available for [org.elasticsearch.action.get.MultiGetShardRequest/unset]",
      "caused_by": {
        "type": "illegal_index_shard_state_exception",
        "reason": "CurrentState[RECOVERING] operations only allowed when shard state is one of [POST_RECOVERY, STARTED]",
        "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
        "shard": "0",
        "index": "shop_products_v1"
      }
    }
  },
  "mgetMissingIndex": {
    "status": null,
    "error": {
      "root_cause": [
        {
          "type": "index_not_found_exception",
          "reason": "no such index [shop_gone]",
          "resource.type": "index_or_alias",
          "resource.id": "shop_gone",
          "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
          "index": "shop_gone"
        }
      ],
      "type": "index_not_found_exception",
      "reason": "no such index [shop_gone]",
      "resource.type": "index_or_alias",
      "resource.id": "shop_gone",
      "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
      "index": "shop_gone"
    }
  },
  "bulkStrictMapping": {
    "status": 400,
    "error": {
      "type": "strict_dynamic_mapping_exception",
      "reason": "[1:19] mapping set to strict, dynamic introduction of [colour] within [_doc] is not allowed"
    }
  },
  "mgetClosedIndex": {
    "status": null,
    "error": {
      "root_cause": [
        {
          "type": "index_closed_exception",
          "reason": "closed",
          "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
          "index": "shop_products_v1"
        }
      ],
      "type": "index_closed_exception",
      "reason": "closed",
      "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
      "index": "shop_products_v1"
    }
  },
  "bulkClosedIndex": {
    "status": 400,
    "error": {
      "type": "index_closed_exception",
      "reason": "closed",
      "index_uuid": "Jb3f0pYxQ1mB8x2fS0uT7w",
      "index": "shop_products_v1"
    }
  },
  "bulkWriteBlock": {
    "status": 403,
    "error": {
      "type": "cluster_block_exception",
      "reason": "index [shop_products_v1] blocked by: [FORBIDDEN/8/index write (api)];"
    }
  },
  "bulkReadOnlyBlock": {
    "status": 403,
    "error": {
      "type": "cluster_block_exception",
      "reason": "index [shop_products_v1] blocked by: [FORBIDDEN/5/index read-only (api)];"
    }
  },
  "bulkFloodStageBlock": {
    "status": 429,
    "error": {
      "type": "cluster_block_exception",
      "reason": "index [shop_products_v1] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block; for more information, see https://www.elastic.co/guide/en/elasticsearch/reference/8.19/fix-watermark-errors.html];"
    }
  },
  "mgetNoShard": {
    "status": null,
    "error": {
      "root_cause": [
        {
          "type": "no_shard_available_action_exception",
          "reason": "No shard available for [org.elasticsearch.action.get.MultiGetShardRequest/unset]"
        }
      ],
      "type": "no_shard_available_action_exception",
      "reason": "No shard available for [org.elasticsearch.action.get.MultiGetShardRequest/unset]"
    }
  },
  "bulkNoShard": {
    "status": 503,
    "error": {
      "type": "unavailable_shards_exception",
      "reason": "[shop_orders_v1][0] primary shard is not active Timeout: [1s], request: [BulkShardRequest [[shop_orders_v1][0]] containing [index {[shop_orders_v1][2], source[{\"x\":\"b\"}]}]]"
    }
  }
} as const;
