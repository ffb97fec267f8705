# From seed 004: "Sleepy, flaky tests", the sleepy ExUnit tests, as quoted.
Code.require_file("external_adder.exs")
ExUnit.start()

defmodule ExternalAdderTestSleep do
  use ExUnit.Case

  test "addition identity" do
    Process.sleep(10) # expect: elixir/process-sleep
    {:ok, _} = ExternalAdder.start_link()
    assert ExternalAdder.add(1,0) == 1
  end

  test "addition commutativity" do
    Process.sleep(10) # expect: elixir/process-sleep
    {:ok, _} = ExternalAdder.start_link()
    assert ExternalAdder.add(1,2) == 3
    assert ExternalAdder.add(2,1) == 3
  end
end
