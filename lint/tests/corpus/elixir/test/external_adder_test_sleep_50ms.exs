# From seed 004: the same tests with "a more generous allowance of 50ms".
Code.require_file("external_adder.exs")
ExUnit.start()

defmodule ExternalAdderTestSleep50ms do
  use ExUnit.Case

  test "addition identity" do
    Process.sleep(50) # expect: elixir/process-sleep
    {:ok, _} = ExternalAdder.start_link()
    assert ExternalAdder.add(1,0) == 1
  end

  test "addition commutativity" do
    Process.sleep(50) # expect: elixir/process-sleep
    {:ok, _} = ExternalAdder.start_link()
    assert ExternalAdder.add(1,2) == 3
    assert ExternalAdder.add(2,1) == 3
  end
end
