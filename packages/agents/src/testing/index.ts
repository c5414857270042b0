// Local fakes of the model providers, speaking their real wire protocols over HTTP on 127.0.0.1.
