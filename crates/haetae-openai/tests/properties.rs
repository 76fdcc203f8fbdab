//! Properties: arbitrary JSON never panics the parsers or the translation and is either refused naming a field or
//! translated into a valid chat request; arbitrary chunk sequences always give a well-formed Responses stream.

use haetae_openai::translate::response_template;
use haetae_openai::{
    ResponseIds, ResponseStreamEvent, ResponsesRequest, ResponsesStream, SequencedEvent,
    from_slice, from_value, responses_to_chat,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0.0f64..3.0).prop_map(|f| json!(f)),
        prop_oneof![
            Just("m".to_string()),
            Just("user".to_string()),
            Just("assistant".to_string()),
            Just("function".to_string()),
            Just("message".to_string()),
            Just("function_call".to_string()),
            Just("function_call_output".to_string()),
            Just("input_text".to_string()),
            Just("input_image".to_string()),
            Just("json_schema".to_string()),
            ".*"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("model".to_string()),
                        Just("input".to_string()),
                        Just("instructions".to_string()),
                        Just("role".to_string()),
                        Just("content".to_string()),
                        Just("type".to_string()),
                        Just("text".to_string()),
                        Just("call_id".to_string()),
                        Just("name".to_string()),
                        Just("arguments".to_string()),
                        Just("output".to_string()),
                        Just("tools".to_string()),
                        Just("tool_choice".to_string()),
                        Just("format".to_string()),
                        Just("stream".to_string()),
                        Just("max_output_tokens".to_string()),
                        ".*"
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A chunk of a chat stream: text, a refusal, a piece of one of three tool calls, a finish, or usage.
fn arb_chunk() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z ]{0,8}".prop_map(|t| json!({"choices": [{"index": 0, "delta": {"content": t}}]})),
        "[a-z ]{1,8}".prop_map(|t| json!({"choices": [{"index": 0, "delta": {"refusal": t}}]})),
        (0u32..3, any::<bool>(), "[{}\":a-z0-9]{0,6}").prop_map(|(i, first, args)| {
            let mut call = json!({"index": i, "function": {"arguments": args}});
            if first {
                call["id"] = json!(format!("call_{i}"));
                call["function"]["name"] = json!(format!("f{i}"));
            }
            json!({"choices": [{"index": 0, "delta": {"tool_calls": [call]}}]})
        }),
        prop_oneof![Just("stop"), Just("length"), Just("tool_calls")]
            .prop_map(|r| json!({"choices": [{"index": 0, "delta": {}, "finish_reason": r}]})),
        (0u64..50, 0u64..50).prop_map(|(p, c)| json!({"choices": [],
            "usage": {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}})),
        Just(json!({"choices": [{"index": 1, "delta": {"content": "other choice"}}]})),
    ]
}

proptest! {
    #[test]
    fn responses_requests_are_refused_by_field_or_translated(v in arb_json()) {
        let bytes = v.to_string();
        match from_slice::<ResponsesRequest>(bytes.as_bytes()).and_then(|r| responses_to_chat(&r)) {
            Ok(chat) => {
                prop_assert!(chat.validate().is_ok(), "{}", bytes);
                prop_assert!(!chat.messages.is_empty());
                let back = serde_json::to_value(&chat).expect("serialises");
                prop_assert!(back.get("input").is_none());
            }
            Err(e) => {
                prop_assert!(!e.message.is_empty());
                prop_assert!(!e.message.contains('\u{1}'), "{:?}", e);
                if let Some(p) = &e.param {
                    prop_assert!(!p.is_empty() && !p.starts_with('.') && !p.starts_with('['), "{:?}", e);
                }
            }
        }
    }

    #[test]
    fn chunk_sequences_give_well_formed_streams(chunks in proptest::collection::vec(arb_chunk(), 0..24), fail in any::<bool>()) {
        let req: ResponsesRequest = from_value(&json!({"model": "m", "input": "x"})).expect("request");
        let ids = ResponseIds::from_seed("req_p");
        let mut machine = ResponsesStream::new(response_template(&req, &ids, 1), ids);
        let mut events: Vec<SequencedEvent> = machine.start();
        for c in &chunks {
            events.extend(machine.push_value(c).expect("chunk"));
        }
        events.extend(if fail { machine.fail("server_error", "x") } else { machine.finish() });

        let numbers: Vec<u64> = events.iter().map(|e| e.sequence_number).collect();
        prop_assert_eq!(numbers, (0..events.len() as u64).collect::<Vec<_>>());
        let terminal = |e: &SequencedEvent| matches!(e.event, ResponseStreamEvent::Completed { .. }
            | ResponseStreamEvent::Incomplete { .. } | ResponseStreamEvent::Failed { .. });
        prop_assert_eq!(events.iter().filter(|e| terminal(e)).count(), 1);
        prop_assert!(events.last().is_some_and(terminal));
        // Every event after the two opening ones refers to an item that was added and is not yet done.
        let mut open = std::collections::BTreeSet::new();
        let mut done = std::collections::BTreeSet::new();
        for e in &events {
            match &e.event {
                ResponseStreamEvent::OutputItemAdded { output_index, .. } => {
                    prop_assert!(open.insert(*output_index) && !done.contains(output_index));
                }
                ResponseStreamEvent::OutputItemDone { output_index, .. } => {
                    prop_assert!(open.remove(output_index));
                    done.insert(*output_index);
                }
                ResponseStreamEvent::OutputTextDelta { output_index, .. }
                | ResponseStreamEvent::FunctionCallArgumentsDelta { output_index, .. }
                | ResponseStreamEvent::ContentPartAdded { output_index, .. } => {
                    prop_assert!(open.contains(output_index));
                }
                _ => {}
            }
        }
        let text: String = chunks.iter()
            .filter(|c| c.pointer("/choices/0/index") == Some(&json!(0)))
            .filter_map(|c| c.pointer("/choices/0/delta/content").and_then(Value::as_str))
            .collect();
        let deltas: String = events.iter().filter_map(|e| match &e.event {
            ResponseStreamEvent::OutputTextDelta { delta, .. } => Some(delta.as_str()),
            _ => None,
        }).collect();
        prop_assert_eq!(&deltas, &text);
        if let Some(ResponseStreamEvent::Completed { response } | ResponseStreamEvent::Incomplete { response }) =
            events.last().map(|e| &e.event)
        {
            prop_assert!(open.is_empty(), "a finished stream leaves nothing open");
            prop_assert_eq!(response.output_text(), text);
            prop_assert_eq!(response.output.len(), done.len());
        }
    }
}
