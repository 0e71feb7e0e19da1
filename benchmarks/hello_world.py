"""The smallest ask-sdk-core skill: the SDK's hello-world, the yardstick for cold starts.

With HELLO_TABLE set it uses the SDK's own DynamoDB adapter, reading and saving one
persistent attribute on launch, as a skill that remembers its users does.
"""

import os

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder, SkillBuilder
from ask_sdk_core.utils import is_request_type

TABLE = os.environ.get("HELLO_TABLE")


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        if TABLE:
            manager = handler_input.attributes_manager
            attributes = manager.persistent_attributes
            attributes["visits"] = attributes.get("visits", 0) + 1
            manager.save_persistent_attributes()
        return (handler_input.response_builder.speak("Hello World!")
                .set_should_end_session(False).response)


if TABLE:
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    builder = CustomSkillBuilder(persistence_adapter=DynamoDbAdapter(
        table_name=TABLE, create_table=False))
else:
    builder = SkillBuilder()
builder.add_request_handler(LaunchRequestHandler())
lambda_handler = builder.lambda_handler()
