namespace Weir.Compiler.Tests;

public sealed class RoutingTests : CompilerTest
{
    [Fact]
    public async Task Route_PlainCalls_BecomeTaskRunsWithStatesAndArguments()
    {
        var (result, sink) = await Fixture.RunAsync("seed.cs", """
            using Weir;
            public static class MyFlow
            {
                [Task]
                public static int[] GetData() => [1, 2, 3, 4, 5];

                [Task]
                public static void PrintData(int[] data)
                {
                    if (data.Length == 0)
                    {
                        return;
                    }

                    Console.WriteLine(string.Join(", ", data));
                }

                [Flow("example")]
                public static void Example(int limit = 5)
                {
                    var data = GetData();
                    PrintData(data[..limit]);
                }
            }
            """, "example", new() { ["limit"] = 3 });

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.TaskRuns.Select(t => t.TaskKey).ShouldBe(["GetData-0", "PrintData-0"]);
        sink.StatesOf("PrintData-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Completed]);
        result.TaskRuns[1].Parameters.ShouldHaveSingleItem().Key.ShouldBe("data");
        sink.Logs.ShouldContain(l => l.TaskRunId == result.TaskRuns[1].Id && l.Message == "1, 2, 3");
    }

    [Fact]
    public async Task Route_AsyncGenericPrivateNestedAndMethodGroups_AllRecordTaskRuns()
    {
        var (result, _) = await Fixture.RunAsync("shapes.cs", """
            using Weir;
            public static class Shapes
            {
                [Task]
                private static async Task<int> Square(int x)
                {
                    await Task.Delay(10);
                    return x * x;
                }

                [Task]
                public static T Echo<T>(T value) => value;

                [Task("outer")]
                public static int Outer() => Echo(41) + 1;

                [Task]
                public static async Task Pause() => await Task.Delay(1);

                [Task]
                public static ValueTask<string> Named(string s) => ValueTask.FromResult(s + "!");

                [Flow("shapes")]
                public static async Task<string> Run()
                {
                    var squares = await Task.WhenAll(new[] { 1, 2, 3 }.Select(Square));
                    await Pause();
                    var name = await Named(Echo("weir"));
                    return $"{squares.Sum()} {Outer()} {name}";
                }
            }
            """, "shapes");

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.Value.ShouldBe("14 42 weir!");
        result.TaskRuns.Select(t => t.TaskName).Order(StringComparer.Ordinal).ShouldBe(["Echo", "Echo", "Named", "Pause", "Square", "Square", "Square", "outer"]);
        var outer = result.TaskRuns.Single(t => t.TaskName == "outer");
        result.TaskRuns.Single(t => t.TaskName == "Echo" && Equals(t.Parameters[0].Value, 41)).ParentTaskRunId.ShouldBe(outer.Id);
    }

    [Fact]
    public async Task Route_RetriesFromTheAttribute_RetryTheTask()
    {
        var (result, sink) = await Fixture.RunAsync("retry.cs", """
            using Weir;
            public static class Flaky
            {
                private static int s_calls;

                [Task(Retries = 2, RetryDelaySeconds = 0.01)]
                public static int Fetch()
                {
                    if (++s_calls < 3) throw new InvalidOperationException("not yet");
                    return s_calls;
                }

                [Flow("flaky")]
                public static int Run() => Fetch();
            }
            """, "flaky");

        result.State.Type.ShouldBe(StateType.Completed);
        result.Value.ShouldBe(3);
        sink.StatesOf("Fetch-0").ShouldBe([StateType.Pending, StateType.Running, StateType.Retrying, StateType.Running, StateType.Retrying, StateType.Running, StateType.Completed]);
    }

    [Fact]
    public async Task Route_TaskAttributeWithSystemThreadingTasksImported_IsWeirsAttribute()
    {
        var (result, _) = await Fixture.RunAsync("names.cs", """
            using System.Threading.Tasks;
            using Weir;
            public static class Names
            {
                [Task]
                public static Task<int> One() => Task.FromResult(1);

                [Flow("names")]
                public static async Task<int> Run() => await One();
            }
            """, "names");

        result.State.Type.ShouldBe(StateType.Completed);
        result.TaskRuns.ShouldHaveSingleItem().TaskName.ShouldBe("One");
    }

    [Fact]
    public async Task Route_FailingTask_FailsTheFlowWithTheUsersLineInTheStack()
    {
        var (result, _) = await Fixture.RunAsync("fails.cs", "using Weir;\npublic static class F\n{\n    [Task]\n    public static int Divide(int a, int b)\n    {\n        return a / b;\n    }\n\n    [Flow(\"f\")]\n    public static int Run() => Divide(1, 0);\n}\n", "f");

        result.State.Type.ShouldBe(StateType.Failed);
        result.State.Message.ShouldBe("Task run 'Divide-0' failed: DivideByZeroException: Attempted to divide by zero.");
        result.Exception!.StackTrace!.ShouldContain("fails.cs:line 7");
    }

    [Fact]
    public async Task Route_ExtensionOverloadInstanceAndGenericTypeTasks_RecordArgumentsByName()
    {
        var (result, _) = await Fixture.RunAsync("members.cs", """
            using Weir;
            public static class Text
            {
                [Task]
                public static string Twice(this string s) => s + s;

                extension(string s)
                {
                    [Task]
                    public string Shout() => s.ToUpperInvariant();
                }
            }

            public sealed class Counter(int start)
            {
                [Task]
                public int Add(int by) => start + by;

                [Task]
                public int Add(int by, int times) => start + by * times;
            }

            public static class Box<T>
            {
                [Task]
                public static T[] Pair(T value) => [value, value];
            }

            public static class Members
            {
                [Flow("members")]
                public static string Run()
                {
                    var counter = new Counter(10);
                    return $"{"ab".Twice()} {"hi".Shout()} {counter.Add(1)} {counter.Add(1, 3)} {Box<int>.Pair(7).Length}";
                }
            }
            """, "members");

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.Value.ShouldBe("abab HI 11 13 2");
        result.TaskRuns.Select(t => $"{t.TaskName}({string.Join(", ", t.Parameters.Select(p => $"{p.Key}={p.Value}"))})")
            .ShouldBe(["Twice(s=ab)", "Shout(s=hi)", "Add(by=1)", "Add(by=1, times=3)", "Pair(value=7)"]);
        result.TaskRuns.Select(t => t.TaskKey).ShouldBe(["Twice-0", "Shout-0", "Add-0", "Add-1", "Pair-0"]);
    }

    [Fact]
    public async Task Route_VoidExpressionBodiedTask_RecordsNoResult()
    {
        var (result, sink) = await Fixture.RunAsync("void.cs", """
            using Weir;
            public static class V
            {
                private static int s_count;

                [Task]
                public static void Bump() => s_count++;

                [Flow("v")]
                public static int Run()
                {
                    Bump();
                    Bump();
                    return s_count;
                }
            }
            """, "v");

        result.Value.ShouldBe(2);
        result.TaskRuns.Select(t => t.Result).ShouldBe([null, null]);
        sink.StatesOf("Bump-1").ShouldBe([StateType.Pending, StateType.Running, StateType.Completed]);
    }

    [Fact]
    public async Task Route_TaskWithTimeout_FailsTheAttemptAtTheLimit()
    {
        var (result, _) = await Fixture.RunAsync("slow.cs", """
            using Weir;
            public static class Slow
            {
                [Task(TimeoutSeconds = 0.2)]
                public static async Task<int> Wait(CancellationToken token = default)
                {
                    await Task.Delay(TimeSpan.FromSeconds(30));
                    return 1;
                }

                [Flow("slow")]
                public static async Task<int> Run() => await Wait();
            }
            """, "slow");

        result.State.Type.ShouldBe(StateType.Failed);
        result.FailedTask!.TaskName.ShouldBe("Wait");
    }

    [Fact]
    public async Task Route_TaskCalledOutsideAFlowRun_IsAPlainCall()
    {
        var build = await Fixture.CompileAsync(await Fixture.WriteAsync("plain.cs", "using Weir;\npublic static class P\n{\n    [Task]\n    public static int Add(int a, int b) => a + b;\n}\n"));
        using var loaded = build.Load();

        loaded.Assembly.GetType("P")!.GetMethod("Add")!.Invoke(null, [2, 3]).ShouldBe(5);
    }

    [Fact]
    public async Task Route_EveryReturnShape_CompletesAsATaskRun()
    {
        var (result, _) = await Fixture.RunAsync("returns.cs", """
            using Weir;
            public static class R
            {
                [Task] public static async ValueTask<int> A() { await Task.Yield(); return 1; }
                [Task] public static async ValueTask B() => await Task.Yield();
                [Task] public static ValueTask C() => ValueTask.CompletedTask;
                [Task] public static Task<int> D() { return Task.FromResult(4); }
                [Task] public static Task E() { return Task.CompletedTask; }
                [Task] public static async Task<(int X, string? Y)> F() { await Task.Yield(); return (6, null); }
                [Task] public static void G() { }
                [Task] public static int H() => throw new InvalidOperationException("never");

                [Flow("returns")]
                public static async Task<int> Run()
                {
                    var a = await A();
                    await B();
                    await C();
                    var d = await D();
                    await E();
                    var f = await F();
                    G();
                    return a + d + f.X;
                }
            }
            """, "returns");

        result.State.Type.ShouldBe(StateType.Completed, result.State.Message);
        result.Value.ShouldBe(11);
        result.TaskRuns.Select(t => t.TaskName).ShouldBe(["A", "B", "C", "D", "E", "F", "G"]);
        result.TaskRuns.ShouldAllBe(t => t.State.Type == StateType.Completed);
    }
}
