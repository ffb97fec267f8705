# From seed 004: "Assertion on eventually consistent results".
Code.require_file("addition_job.exs")
ExUnit.start()

defmodule AdditionJobSleepTest do
  use ExUnit.Case

  test "addition result is eventually available in output file" do
    # given
    {:ok, task} = AdditionJob.start_link()
    # when
    {:ok, output_file} = AdditionJob.schedule_addition(task, 1, 2)
    # then
    Process.sleep(600) # expect: elixir/process-sleep
    assert File.read(output_file) == {:ok, "3"}
  end
end
