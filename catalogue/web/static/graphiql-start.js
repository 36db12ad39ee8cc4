// GraphiQL from our own assets: the same origin's /graphql, with a token if one is pasted
// into the headers pane ({"Authorization": "Bearer ..."}).
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + "/graphql" });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }));
})();
